//! `helpbook status`: translation coverage and freshness per locale.
//!
//! [`Report::new`] turns the pipeline's model and findings into plain figures;
//! [`Report::table`], [`Report::markdown`] and the `Serialize` impl (the JSON
//! schema documented in `docs/status-json.md`) present them. Pure functions.

use crate::diag::{Finding, Level};
use crate::pair::{ArticleState, Brief, Origin};
use crate::parse::front_matter::Date;
use crate::pipeline::Model;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use unicode_width::UnicodeWidthStr;

/// Figures for one locale (or the totals).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LocaleStatus {
    pub locale: String,
    pub name: String,
    /// Articles present in this locale.
    pub articles: usize,
    /// English articles this locale has no copy of.
    pub missing_articles: usize,
    /// Articles of this locale with no English (only with a source-language folder).
    pub orphan_articles: usize,
    /// Articles current with the English.
    pub current_articles: usize,
    /// Articles with stale or missing segments.
    pub outdated_articles: usize,
    pub machine_translated: usize,
    pub human_translated: usize,
    /// Well-formed segment pairs.
    pub pairs: usize,
    pub current_segments: usize,
    pub stale_segments: usize,
    /// English segments that no pair of the translation carries.
    pub missing_segments: usize,
    /// Pairs whose translation equals the English.
    pub untranslated_segments: usize,
    pub oldest_handoff: Option<Date>,
    pub newest_handoff: Option<Date>,
    pub errors: usize,
    pub warnings: usize,
}

/// The whole status report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Version of this JSON shape; bumped on incompatible change.
    pub schema: u32,
    pub source_language: String,
    pub english: EnglishStatus,
    pub locales: Vec<LocaleStatus>,
    pub totals: LocaleStatus,
    /// Findings per lint name.
    pub findings: BTreeMap<&'static str, usize>,
    /// Every translated article of the locales shown, by locale then path.
    pub articles: Vec<ArticleStatus>,
}

/// One translated article against its English (JSON only).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ArticleStatus {
    pub locale: String,
    pub path: String,
    pub state: ArticleState,
    /// Pairs whose English is a sentence of the English.
    pub current: usize,
    /// Pairs whose English changed: another sentence took its place.
    pub stale: usize,
    /// English sentences that no pair carries, old or changed.
    pub new: usize,
    /// Pairs whose English the English removed.
    pub removed: usize,
    /// The hand-off and `ms.openlocfilehash` of the English compared with.
    pub reference_handoff: Option<Date>,
    pub reference_hash: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnglishStatus {
    pub articles: usize,
    /// `folder` (the source-language folder) or `rebuilt` (from the newest hand-offs).
    pub origin: &'static str,
    /// For rebuilt English: how many articles each locale supplied.
    pub rebuilt_from: BTreeMap<String, usize>,
}

impl Report {
    /// The report on `model` (the locales of `only`, or all), with the
    /// counts of `findings` (finished by the pipeline: levelled, every
    /// stage's).
    pub fn new(model: &Model, only: &[String], findings: &[Finding]) -> Report {
        let project = &model.project;
        let english = &model.pairing.english;
        let chosen =
            |tag: &str| only.is_empty() || only.iter().any(|o| o.eq_ignore_ascii_case(tag));
        let articles: Vec<ArticleStatus> = project
            .locales
            .iter()
            .enumerate()
            .filter(|(_, l)| chosen(&l.tag))
            .flat_map(|(i, locale)| {
                model.pairing.briefs(i).iter().map(move |b| {
                    let e = english.articles.get(&*b.path);
                    ArticleStatus {
                        locale: locale.tag.clone(),
                        path: b.path.to_string(),
                        state: b.state,
                        current: b.current() as usize,
                        stale: b.changed as usize,
                        new: b.new as usize,
                        removed: b.removed as usize,
                        reference_handoff: e.and_then(|e| e.handoff),
                        reference_hash: e.and_then(|e| e.hash.clone()),
                    }
                })
            })
            .collect();
        let names = project.language_names();
        let locales: Vec<LocaleStatus> = project
            .locales
            .par_iter()
            .enumerate()
            .filter(|(_, l)| chosen(&l.tag))
            .map(|(i, locale)| {
                let name = names[i + 1].clone();
                let mut s = LocaleStatus {
                    locale: locale.tag.clone(),
                    name,
                    ..LocaleStatus::default()
                };
                let briefs = model.pairing.briefs(i);
                for b in briefs {
                    s.articles += 1;
                    s.pairs += b.pairs as usize;
                    s.current_segments += b.current() as usize;
                    s.stale_segments += b.stale as usize;
                    s.missing_segments += b.missing as usize;
                    s.untranslated_segments += b.untranslated as usize;
                    match b.state {
                        ArticleState::Current => s.current_articles += 1,
                        ArticleState::Outdated => s.outdated_articles += 1,
                        ArticleState::NoEnglish => s.orphan_articles += 1,
                    }
                    if b.machine {
                        s.machine_translated += 1;
                    } else {
                        s.human_translated += 1;
                    }
                    if let Some(d) = b.handoff {
                        s.oldest_handoff = Some(s.oldest_handoff.map_or(d, |o| o.min(d)));
                        s.newest_handoff = Some(s.newest_handoff.map_or(d, |n| n.max(d)));
                    }
                }
                s.missing_articles = english
                    .articles
                    .keys()
                    .filter(|p| Brief::find(briefs, p).is_err())
                    .count();
                let own: Vec<&Finding> = findings
                    .iter()
                    .filter(|f| f.locale.as_deref() == Some(locale.tag.as_str()))
                    .collect();
                count_levels(&mut s, own.into_iter());
                s
            })
            .collect();
        let shown: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.locale.as_deref().is_none_or(chosen))
            .collect();
        let mut totals = LocaleStatus {
            locale: "total".into(),
            name: String::new(),
            ..LocaleStatus::default()
        };
        for s in &locales {
            totals.articles += s.articles;
            totals.missing_articles += s.missing_articles;
            totals.orphan_articles += s.orphan_articles;
            totals.current_articles += s.current_articles;
            totals.outdated_articles += s.outdated_articles;
            totals.machine_translated += s.machine_translated;
            totals.human_translated += s.human_translated;
            totals.pairs += s.pairs;
            totals.current_segments += s.current_segments;
            totals.stale_segments += s.stale_segments;
            totals.missing_segments += s.missing_segments;
            totals.untranslated_segments += s.untranslated_segments;
            totals.oldest_handoff = min_opt(totals.oldest_handoff, s.oldest_handoff);
            totals.newest_handoff = totals.newest_handoff.max(s.newest_handoff);
        }
        count_levels(&mut totals, shown.iter().copied());
        let mut by_lint = BTreeMap::new();
        for f in &shown {
            *by_lint.entry(f.lint).or_insert(0) += 1;
        }
        let mut rebuilt_from = BTreeMap::new();
        for e in english.articles.values() {
            if let Origin::Rebuilt { locale } = &e.origin {
                *rebuilt_from.entry(locale.clone()).or_insert(0) += 1;
            }
        }
        Report {
            schema: 2,
            source_language: project.config.source_language.clone(),
            english: EnglishStatus {
                articles: english.articles.len(),
                origin: if project.english.is_some() {
                    "folder"
                } else {
                    "rebuilt"
                },
                rebuilt_from,
            },
            locales,
            totals,
            findings: by_lint,
            articles,
        }
    }

    /// An aligned table for a terminal (widths count East Asian wide
    /// characters as two). Given a `width`, columns are left out, least
    /// needed first ([`HIDDEN_FIRST`]), until every row fits in it, and a
    /// last line names them; with `None`, every column is shown.
    pub fn table(&self, width: Option<usize>) -> String {
        let mut rows: Vec<Vec<String>> = vec![COLUMNS.iter().map(|h| h.to_string()).collect()];
        rows.push(vec![
            self.source_language.clone(),
            format!("English ({})", self.english.origin),
            self.english.articles.to_string(),
        ]);
        for s in self.locales.iter().chain(std::iter::once(&self.totals)) {
            rows.push(row(s));
        }
        let widths: Vec<usize> = (0..COLUMNS.len())
            .map(|c| {
                rows.iter()
                    .filter_map(|r| r.get(c))
                    .map(|t| t.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        // Each column takes its width and the gap before the next.
        let wide = |shown: &[bool]| -> usize {
            let total: usize = (0..COLUMNS.len())
                .filter(|&c| shown[c])
                .map(|c| widths[c] + GAP)
                .sum();
            total - GAP
        };
        let mut shown = vec![true; COLUMNS.len()];
        let mut hidden = Vec::new();
        if let Some(width) = width {
            for name in HIDDEN_FIRST {
                if wide(&shown) <= width {
                    break;
                }
                let c = COLUMNS.iter().position(|h| *h == name).expect("a column");
                shown[c] = false;
                hidden.push(name);
            }
        }
        let mut out = String::new();
        for r in &rows {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate().filter(|&(c, _)| shown[c]) {
                let pad = widths[c] - cell.width();
                if c < 2 {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                } else {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                }
                line.push_str(&" ".repeat(GAP));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let width = width.unwrap_or(LINE_WIDTH).min(LINE_WIDTH);
        out.push_str(&self.findings_line(width));
        if !hidden.is_empty() {
            let hidden = hidden.iter().map(|h| h.to_string());
            out.push_str(&wrapped(
                "not shown: ",
                hidden,
                " (--wide shows them)",
                width,
            ));
        }
        out
    }

    /// A GitHub-flavoured Markdown table, for CI job summaries.
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "| locale | name | articles | missing | outdated | MT | pairs | stale | seg-missing | untranslated | oldest | newest | errors | warnings |\n\
             | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |\n",
        );
        out.push_str(&format!(
            "| {} | English ({}) | {} |  |  |  |  |  |  |  |  |  |  |  |\n",
            self.source_language, self.english.origin, self.english.articles
        ));
        for s in &self.locales {
            out.push_str(&format!("| {} |\n", row(s).join(" | ")));
        }
        let mut totals = row(&self.totals);
        totals[0] = "**total**".into();
        out.push_str(&format!("| {} |\n", totals.join(" | ")));
        out.push('\n');
        out.push_str(&self.findings_line(LINE_WIDTH));
        out
    }

    /// `findings: lint count, …`, wrapped before `width` columns (every
    /// lint of a large docset is about 300), continued under the first lint.
    fn findings_line(&self, width: usize) -> String {
        if self.findings.is_empty() {
            return "findings: none\n".into();
        }
        let parts = self.findings.iter().map(|(lint, n)| format!("{lint} {n}"));
        wrapped("findings: ", parts, "", width)
    }
}

/// `lead` and `parts` separated by commas, then `tail`, wrapped before
/// `width` columns (a part longer than that has a line of its own) and
/// continued under the first part.
fn wrapped(lead: &str, parts: impl Iterator<Item = String>, tail: &str, width: usize) -> String {
    let indent = lead.width();
    let mut out = String::from(lead);
    let mut at = indent;
    let mut parts = parts.peekable();
    while let Some(part) = parts.next() {
        let part = match parts.peek() {
            Some(_) => format!("{part},"),
            None => format!("{part}{tail}"),
        };
        if at > indent && at + 1 + part.width() > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            at = indent;
        } else if at > indent {
            out.push(' ');
            at += 1;
        }
        out.push_str(&part);
        at += part.width();
    }
    out.push('\n');
    out
}

/// The widest the findings line runs before it wraps (narrower when the
/// table is fitted to a narrower terminal).
const LINE_WIDTH: usize = 100;

/// The table's columns, in the order of [`row`].
const COLUMNS: [&str; 14] = [
    "locale",
    "name",
    "articles",
    "missing",
    "outdated",
    "MT",
    "pairs",
    "stale",
    "seg-missing",
    "untransl.",
    "oldest",
    "newest",
    "errors",
    "warnings",
];

/// Columns a narrow terminal goes without, in this order: the language's
/// name (its tag stays), counts a manager reads less often than the
/// articles and segments that need work, and the hand-off dates. The tag,
/// the article counts, stale segments and warnings are always shown.
const HIDDEN_FIRST: [&str; 8] = [
    "pairs",
    "name",
    "oldest",
    "newest",
    "MT",
    "seg-missing",
    "untransl.",
    "errors",
];

/// Spaces between two columns.
const GAP: usize = 2;

fn row(s: &LocaleStatus) -> Vec<String> {
    let date = |d: Option<Date>| d.map_or_else(|| "-".into(), |d| d.to_string());
    vec![
        s.locale.clone(),
        s.name.clone(),
        s.articles.to_string(),
        s.missing_articles.to_string(),
        s.outdated_articles.to_string(),
        s.machine_translated.to_string(),
        s.pairs.to_string(),
        s.stale_segments.to_string(),
        s.missing_segments.to_string(),
        s.untranslated_segments.to_string(),
        date(s.oldest_handoff),
        date(s.newest_handoff),
        s.errors.to_string(),
        s.warnings.to_string(),
    ]
}

fn min_opt(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn count_levels<'f>(s: &mut LocaleStatus, findings: impl Iterator<Item = &'f Finding>) {
    for f in findings {
        match f.level {
            Level::Error => s.errors += 1,
            Level::Warning => s.warnings += 1,
            Level::Note => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(findings: &[(&'static str, usize)]) -> Report {
        Report {
            schema: 1,
            source_language: "en-US".into(),
            english: EnglishStatus {
                articles: 0,
                origin: "folder",
                rebuilt_from: BTreeMap::new(),
            },
            locales: Vec::new(),
            totals: LocaleStatus::default(),
            findings: findings.iter().copied().collect(),
            articles: Vec::new(),
        }
    }

    #[test]
    fn the_findings_line_wraps_under_its_first_lint() {
        assert_eq!(report(&[]).findings_line(LINE_WIDTH), "findings: none\n");
        assert_eq!(
            report(&[("link::broken", 3), ("markup::emphasis", 12)]).findings_line(LINE_WIDTH),
            "findings: link::broken 3, markup::emphasis 12\n"
        );
        let many: Vec<(&'static str, usize)> = crate::diag::lint::ALL
            .iter()
            .map(|l| (l.name, 12345))
            .collect();
        let text = report(&many).findings_line(LINE_WIDTH);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.len() > 2, "{text}");
        for line in &lines {
            assert!(line.width() <= LINE_WIDTH, "{line}");
        }
        for line in &lines[1..] {
            assert!(line.starts_with("          ") && !line.starts_with("           "));
        }
        // Nothing lost: the same list as one line.
        let joined = lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ");
        let mut sorted: Vec<String> = many.iter().map(|(l, n)| format!("{l} {n}")).collect();
        sorted.sort();
        assert_eq!(joined, format!("findings: {}", sorted.join(", ")));
    }

    #[test]
    fn a_narrow_table_leaves_out_columns_least_needed_first() {
        let mut r = report(&[("link::broken", 3)]);
        r.locales = vec![LocaleStatus {
            locale: "sr-Latn-RS".into(),
            name: "Srpski (latinica)".into(),
            articles: 12345,
            missing_articles: 2,
            outdated_articles: 345,
            pairs: 234567,
            stale_segments: 456,
            warnings: 7890,
            oldest_handoff: Date::parse("2020-03-25"),
            newest_handoff: Date::parse("2021-07-12"),
            ..LocaleStatus::default()
        }];
        let header = |t: &str| -> Vec<String> {
            let first = t.lines().next().unwrap_or_default();
            first.split_whitespace().map(str::to_string).collect()
        };
        let full = r.table(None);
        assert_eq!(header(&full), COLUMNS);
        assert!(!full.contains("not shown"), "{full}");
        let full_width = full.lines().map(|l| l.width()).max().unwrap_or(0);
        assert_eq!(r.table(Some(full_width)), full);

        let mut previous = COLUMNS.len();
        for width in (40..full_width).rev() {
            let t = r.table(Some(width));
            let shown = header(&t);
            assert!(shown.len() <= previous, "{t}");
            previous = shown.len();
            let hidden: Vec<&str> = COLUMNS
                .into_iter()
                .filter(|c| !shown.iter().any(|s| s == c))
                .collect();
            // The columns left out are the first of HIDDEN_FIRST, named in
            // that order on the last line.
            assert_eq!(
                hidden.len(),
                hidden
                    .iter()
                    .filter(|h| HIDDEN_FIRST[..hidden.len()].contains(h))
                    .count(),
                "{t}"
            );
            let note: String = t
                .split_once("not shown: ")
                .map(|(_, n)| n.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            assert_eq!(
                note,
                format!(
                    "{} (--wide shows them)",
                    HIDDEN_FIRST[..hidden.len()].join(", ")
                ),
                "{t}"
            );
            let fits = t.lines().all(|l| l.width() <= width);
            assert!(fits || hidden.len() == HIDDEN_FIRST.len(), "{width}:\n{t}");
            assert_eq!(shown[0], "locale");
            assert!(t.contains("sr-Latn-RS") && t.contains("12345") && t.contains("7890"));
        }
    }
}
