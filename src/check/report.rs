//! Findings shown to people and tools, by `check` and (later) `build`.
//!
//! - `human`: rustc-style, one block per error and warning, with the source
//!   line and a caret under the column (placed by display width, so it stands
//!   under CJK and right-to-left text as a terminal draws it in logical order),
//!   then a summary table per lint per locale (the locales with the most
//!   per lint, where a column each is too wide) and a summary line. Notes are
//!   counted in the table, not listed (raise a lint to `warn` to list it).
//!   Colour only when asked (the command asks when stdout is a terminal).
//! - `json`: one document, schema in `docs/check.md`; every finding, notes too.
//! - `github`: workflow-command annotations, capped as GitHub displays them,
//!   then the summary line ([`super::github`]; the command also writes the
//!   job summary from there).
//! - `sarif`: SARIF 2.1.0 for code-scanning tools ([`super::sarif`]).
//!
//! Pure: writes to the writer it is given.

use crate::diag::{lint, Finding, Level};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// How to show findings.
#[derive(Debug, Clone)]
pub enum Format {
    Human { color: bool },
    Json,
    Github(super::github::Options),
    Sarif(super::sarif::Options),
}

/// Writes `findings` (already levelled and sorted) in `format`.
pub fn report(findings: &[Finding], format: &Format, out: &mut dyn Write) -> io::Result<()> {
    match format {
        Format::Human { color } => human(findings, *color, out),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &Json::new(findings))?;
            writeln!(out)
        }
        Format::Github(options) => super::github::annotations(findings, options, out),
        Format::Sarif(options) => super::sarif::write(findings, options, out),
    }
}

/// `N errors, N warnings, N notes`: for the last line of `check` and `build`.
pub fn summary_line(findings: &[Finding]) -> String {
    let c = Counts::of(findings);
    format!(
        "{}, {}, {}",
        plural(c.errors, "error"),
        plural(c.warnings, "warning"),
        plural(c.notes, "note")
    )
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
struct Counts {
    errors: usize,
    warnings: usize,
    notes: usize,
}

impl Counts {
    fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.level {
                Level::Error => c.errors += 1,
                Level::Warning => c.warnings += 1,
                Level::Note => c.notes += 1,
            }
        }
        c
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn human(findings: &[Finding], color: bool, out: &mut dyn Write) -> io::Result<()> {
    for f in findings.iter().filter(|f| f.level > Level::Note) {
        writeln!(out, "{}", super::render::finding(f, color))?;
    }
    // `-q`: the findings themselves, no table or summary.
    if !crate::ui::normal() {
        return Ok(());
    }
    if !findings.is_empty() {
        out.write_all(table(findings).as_bytes())?;
        writeln!(out)?;
    }
    writeln!(out, "check: {}", summary_line(findings))
}

/// The widest summary table shown with a column per locale: beyond it (a
/// few dozen languages), each lint's row names the locales with the most
/// instead. The width of `--help`, so that CI logs do not wrap it.
const TABLE_WIDTH: usize = 100;

/// Locales named in a row of the narrow table.
const MOST_IN: usize = 3;

/// One lint's counts: a row of the summary table, and of the JSON summary.
#[derive(Serialize)]
struct LintCounts {
    lint: String,
    level: Level,
    total: usize,
    /// Locale (`-` for findings of no locale) → count.
    locales: BTreeMap<String, usize>,
}

/// The counts of every lint that has findings, in the order of [`lint::ALL`].
fn lint_counts(findings: &[Finding]) -> Vec<LintCounts> {
    let mut lints: BTreeMap<(usize, &str), LintCounts> = BTreeMap::new();
    for f in findings {
        let order = lint::ALL
            .iter()
            .position(|l| l.name == f.lint)
            .unwrap_or(usize::MAX);
        let entry = lints.entry((order, f.lint)).or_insert_with(|| LintCounts {
            lint: f.lint.to_string(),
            level: f.level,
            total: 0,
            locales: BTreeMap::new(),
        });
        entry.level = entry.level.max(f.level);
        entry.total += 1;
        let locale = f.locale.as_deref().unwrap_or("-").to_string();
        *entry.locales.entry(locale).or_insert(0) += 1;
    }
    lints.into_values().collect()
}

/// The summary: one row per lint, one column per locale, and the total;
/// where that is wider than [`TABLE_WIDTH`], one row per lint with its
/// total and the locales with the most.
pub fn table(findings: &[Finding]) -> String {
    let lints = lint_counts(findings);
    let mut locales: Vec<&str> = lints
        .iter()
        .flat_map(|l| l.locales.keys().map(String::as_str))
        .collect();
    locales.sort_unstable();
    locales.dedup();
    let mut cells = vec![["lint", "level"]
        .into_iter()
        .chain(locales.iter().copied())
        .chain(["total"])
        .map(str::to_string)
        .collect::<Vec<_>>()];
    for l in &lints {
        let mut row = vec![l.lint.clone(), l.level.to_string()];
        for locale in &locales {
            row.push(
                l.locales
                    .get(*locale)
                    .map_or_else(|| "-".into(), |n| n.to_string()),
            );
        }
        row.push(l.total.to_string());
        cells.push(row);
    }
    let wide = layout(&cells, |c| c >= 2);
    if wide.lines().all(|line| line.width() <= TABLE_WIDTH) {
        return wide;
    }
    let mut cells = vec![["lint", "level", "total", "most in"]
        .map(str::to_string)
        .to_vec()];
    for l in &lints {
        cells.push(vec![
            l.lint.clone(),
            l.level.to_string(),
            l.total.to_string(),
            most_in(&l.locales),
        ]);
    }
    let mut out = layout(&cells, |c| c == 2);
    out.push_str(&format!(
        "({} locales: `helpbook check --format json` counts each lint in every one)\n",
        locales.len()
    ));
    out
}

/// The locales with the most findings, most first (ties by tag):
/// `ja-JP 324, ko-KR 324, th-TH 324, and 32 more`.
fn most_in(locales: &BTreeMap<String, usize>) -> String {
    let mut by_count: Vec<(&String, &usize)> = locales.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let shown: Vec<String> = by_count
        .iter()
        .take(MOST_IN)
        .map(|(locale, n)| format!("{locale} {n}"))
        .collect();
    let mut out = shown.join(", ");
    if by_count.len() > MOST_IN {
        out.push_str(&format!(", and {} more", by_count.len() - MOST_IN));
    }
    out
}

/// `cells` as aligned columns, two spaces apart: right-aligned where
/// `right(column)`, else left-aligned; no trailing spaces.
fn layout(cells: &[Vec<String>], right: impl Fn(usize) -> bool) -> String {
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|c| cells.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in cells {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.width());
            if right(c) {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&pad);
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The JSON document (schema 2, documented in `docs/check.md`).
#[derive(Serialize)]
struct Json<'a> {
    schema: u32,
    summary: JsonSummary,
    findings: &'a [Finding],
}

#[derive(Serialize)]
struct JsonSummary {
    #[serde(flatten)]
    counts: Counts,
    lints: Vec<LintCounts>,
}

impl<'a> Json<'a> {
    fn new(findings: &'a [Finding]) -> Json<'a> {
        Json {
            schema: 2,
            summary: JsonSummary {
                counts: Counts::of(findings),
                lints: lint_counts(findings),
            },
            findings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    /// `n` findings of `lint` in each of `locales`.
    fn found(lint: crate::diag::Lint, locales: &[&str], n: usize) -> Vec<Finding> {
        let mut out = Vec::new();
        for locale in locales {
            for _ in 0..n {
                let mut f = Finding::new(lint, &format!("{locale}/a.md"), Pos::START, "x");
                f.locale = Some((*locale).into());
                out.push(f);
            }
        }
        out
    }

    #[test]
    fn a_few_locales_get_a_column_each() {
        let mut findings = found(lint::LINK_BROKEN, &["sv-SE", "zh-CN"], 2);
        findings.extend(found(lint::SEGMENT_STALE, &["zh-CN"], 1));
        let table = table(&findings);
        let lines: Vec<&str> = table.lines().collect();
        let words = |i: usize| lines[i].split_whitespace().collect::<Vec<_>>();
        assert_eq!(words(0), ["lint", "level", "sv-SE", "zh-CN", "total"]);
        assert_eq!(words(1)[2..], ["-", "1", "1"], "{table}");
        assert_eq!(words(2)[2..], ["2", "2", "4"], "{table}");
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn many_locales_name_the_ones_with_the_most_and_fit_the_width() {
        let tags: Vec<String> = (0..36).map(|i| format!("x{i:02}-ZZ")).collect();
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        let mut findings = found(lint::LINK_BROKEN, &tags, 1);
        findings.extend(found(lint::LINK_BROKEN, &["x07-ZZ", "x30-ZZ"], 2));
        findings.extend(found(lint::LINK_BROKEN, &["x12-ZZ"], 1));
        findings.extend(found(lint::SEGMENT_STALE, &["x03-ZZ", "x01-ZZ"], 1));
        let table = table(&findings);
        assert!(table.lines().all(|l| l.width() <= TABLE_WIDTH), "{table}");
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["lint", "level", "total", "most", "in"]
        );
        assert!(
            lines[1].ends_with("2  x01-ZZ 1, x03-ZZ 1"),
            "stale first, as lint::ALL orders them: {table}"
        );
        assert!(
            lines[2].ends_with("41  x07-ZZ 3, x30-ZZ 3, x12-ZZ 2, and 33 more"),
            "{table}"
        );
        assert!(lines[3].starts_with("(36 locales"), "{table}");
    }
}
