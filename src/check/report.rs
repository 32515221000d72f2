//! Findings shown to people and tools, by `check` and (later) `build`.
//!
//! - `human`: rustc-style, one block per error and warning, with the source
//!   line and a caret under the column (placed by display width, so it stands
//!   under CJK and right-to-left text as a terminal draws it in logical order),
//!   then a summary table per lint per locale and a summary line. Notes are
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

/// One lint's row of the summary table: its level and its count per locale.
type Row = (Level, BTreeMap<String, usize>);

/// The summary: one row per lint, one column per locale, and the total.
pub fn table(findings: &[Finding]) -> String {
    let mut locales: Vec<String> = findings
        .iter()
        .map(|f| f.locale.as_deref().unwrap_or("-").to_string())
        .collect();
    locales.sort();
    locales.dedup();
    let mut rows: BTreeMap<(usize, &str), Row> = BTreeMap::new();
    for f in findings {
        let order = lint::ALL
            .iter()
            .position(|l| l.name == f.lint)
            .unwrap_or(usize::MAX);
        let row = rows
            .entry((order, f.lint))
            .or_insert_with(|| (f.level, BTreeMap::new()));
        row.0 = row.0.max(f.level);
        let locale = f.locale.as_deref().unwrap_or("-").to_string();
        *row.1.entry(locale).or_insert(0) += 1;
    }
    let mut cells: Vec<Vec<String>> = Vec::new();
    let mut header = vec!["lint".to_string(), "level".to_string()];
    header.extend(locales.iter().cloned());
    header.push("total".into());
    cells.push(header);
    for ((_, name), (level, counts)) in &rows {
        let mut row = vec![name.to_string(), level.to_string()];
        for l in &locales {
            row.push(counts.get(l).map_or_else(|| "-".into(), |n| n.to_string()));
        }
        row.push(counts.values().sum::<usize>().to_string());
        cells.push(row);
    }
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|c| cells.iter().map(|r| r[c].width()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.width());
            if c < 2 {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
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
    lints: Vec<JsonLint>,
}

#[derive(Serialize)]
struct JsonLint {
    lint: String,
    level: Level,
    total: usize,
    locales: BTreeMap<String, usize>,
}

impl<'a> Json<'a> {
    fn new(findings: &'a [Finding]) -> Json<'a> {
        let mut lints: BTreeMap<(usize, &str), JsonLint> = BTreeMap::new();
        for f in findings {
            let order = lint::ALL
                .iter()
                .position(|l| l.name == f.lint)
                .unwrap_or(usize::MAX);
            let entry = lints.entry((order, f.lint)).or_insert_with(|| JsonLint {
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
        Json {
            schema: 2,
            summary: JsonSummary {
                counts: Counts::of(findings),
                lints: lints.into_values().collect(),
            },
            findings,
        }
    }
}
