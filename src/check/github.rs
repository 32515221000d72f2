//! Findings for GitHub Actions: workflow-command annotations and the job
//! summary.
//!
//! GitHub displays at most 10 annotations of each type (error, warning,
//! notice) per step and 50 per job; the rest are dropped without a word. So
//! [`annotations`] writes at most `max_annotations` error and warning
//! annotations (default 10: all of them are displayed even when all are
//! errors), errors first, each level in file order; then one `::notice` per
//! lint that had findings left out, saying how many (at most 10 notices: past
//! nine lints, the rest share one). Notes are never annotated, as in the
//! human format.
//!
//! [`step_summary`] is the Markdown GitHub shows on the run's page (the
//! command appends it to `$GITHUB_STEP_SUMMARY`): findings per locale and
//! level, the lints with the most findings, and the first findings with links
//! to the file and line (`$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/path#L12`
//! when those are known, `path:line` otherwise).
//!
//! Pure: the command reads the environment into [`Options`] and passes the
//! writers.

use super::location::{uri, Paths};
use super::report::summary_line;
use crate::diag::{lint, Finding, Level};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The default of `--max-annotations`: what GitHub displays of one type in
/// one step.
pub const DEFAULT_MAX_ANNOTATIONS: usize = 10;

/// Notices GitHub displays per step: one per lint left out, the last shared.
const MAX_NOTICES: usize = 10;

/// Findings listed in the job summary.
const SUMMARY_FINDINGS: usize = 25;

/// Lints listed in the job summary.
const SUMMARY_LINTS: usize = 10;

/// How to write for GitHub Actions.
#[derive(Debug, Clone)]
pub struct Options {
    /// At most this many error and warning annotations.
    pub max_annotations: usize,
    /// File names as GitHub knows them (relative to `$GITHUB_WORKSPACE`).
    pub paths: Paths,
    /// `$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA`, when known.
    pub blob_url: Option<String>,
    /// Whether a job summary is written (the notices point to it).
    pub step_summary: bool,
    /// Findings left out because a baseline had them (`--baseline`).
    pub baselined: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            max_annotations: DEFAULT_MAX_ANNOTATIONS,
            paths: Paths::default(),
            blob_url: None,
            step_summary: false,
            baselined: 0,
        }
    }
}

/// The order of annotation: errors, then warnings, each in file order.
fn annotatable(findings: &[Finding]) -> Vec<&Finding> {
    let mut out: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.level == Level::Error)
        .collect();
    out.extend(findings.iter().filter(|f| f.level == Level::Warning));
    out
}

/// The annotations, the notices for what was left out, the summary line.
pub fn annotations(findings: &[Finding], options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let all = annotatable(findings);
    let (shown, left) = all.split_at(options.max_annotations.min(all.len()));
    for f in shown {
        let command = if f.level == Level::Error {
            "error"
        } else {
            "warning"
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(&options.paths.relative(&f.file)),
            f.line,
            f.column,
            property(f.lint),
            data(&f.message)
        )?;
    }
    let left_out = per_lint(left);
    let where_ = if options.step_summary {
        "the job summary counts them by locale; `helpbook check` lists them"
    } else {
        "`helpbook check` lists them"
    };
    let (one_each, shared) = if left_out.len() > MAX_NOTICES {
        left_out.split_at(MAX_NOTICES - 1)
    } else {
        (&left_out[..], &[][..])
    };
    for (name, level, count) in one_each {
        let total = all.iter().filter(|f| f.lint == *name).count();
        writeln!(
            out,
            "::notice title={}::{}",
            property(&format!("{name}: {count} not annotated")),
            data(&format!(
                "{} of {name} ({total} in all) not annotated (--max-annotations {}); {where_}",
                plural(*count, &level.to_string()),
                options.max_annotations,
            ))
        )?;
    }
    if !shared.is_empty() {
        let count: usize = shared.iter().map(|(_, _, n)| n).sum();
        let names: Vec<&str> = shared.iter().map(|(n, _, _)| *n).collect();
        writeln!(
            out,
            "::notice title={}::{}",
            property(&format!("{count} more findings not annotated")),
            data(&format!(
                "{count} more findings of {} other lints not annotated ({}); {where_}",
                shared.len(),
                names.join(", ")
            ))
        )?;
    }
    writeln!(out, "check: {}", summary_line(findings))
}

/// ` (N in the baseline not shown)` when a baseline left findings out.
fn baseline_note(options: &Options) -> String {
    match options.baselined {
        0 => String::new(),
        n => format!(" ({} in the baseline not shown)", plural(n, "finding")),
    }
}

/// Findings per lint, in the order of `lint::ALL`, errors before warnings:
/// (lint, its highest level, count).
fn per_lint<'a>(findings: &[&'a Finding]) -> Vec<(&'a str, Level, usize)> {
    let mut by: BTreeMap<(std::cmp::Reverse<Level>, usize, &str), usize> = BTreeMap::new();
    for f in findings {
        let order = lint_order(f.lint);
        *by.entry((std::cmp::Reverse(f.level), order, f.lint))
            .or_insert(0) += 1;
    }
    let mut out: Vec<(&str, Level, usize)> = Vec::new();
    for ((level, _, name), count) in by {
        // A lint with findings at two levels (re-levelled by [check]) is one entry.
        if let Some(entry) = out.iter_mut().find(|(n, _, _)| *n == name) {
            entry.2 += count;
        } else {
            out.push((name, level.0, count));
        }
    }
    out
}

fn lint_order(name: &str) -> usize {
    lint::ALL
        .iter()
        .position(|l| l.name == name)
        .unwrap_or(usize::MAX)
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Escapes a workflow command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The job summary, in GitHub-flavoured Markdown.
pub fn step_summary(
    findings: &[Finding],
    options: &Options,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        out,
        "### helpbook check: {}{}\n",
        summary_line(findings),
        baseline_note(options)
    )?;
    if findings.is_empty() {
        return Ok(());
    }
    locale_table(findings, out)?;
    lint_table(findings, out)?;
    first_findings(findings, options, out)
}

fn locale_table(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let mut by: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for f in findings {
        let counts = by.entry(f.locale.as_deref().unwrap_or("-")).or_default();
        counts[level_index(f.level)] += 1;
    }
    writeln!(out, "| locale | errors | warnings | notes |")?;
    writeln!(out, "| --- | --: | --: | --: |")?;
    let mut total = [0; 3];
    for (locale, c) in &by {
        writeln!(out, "| {} | {} | {} | {} |", md(locale), c[0], c[1], c[2])?;
        for i in 0..3 {
            total[i] += c[i];
        }
    }
    writeln!(
        out,
        "| **total** | **{}** | **{}** | **{}** |\n",
        total[0], total[1], total[2]
    )
}

fn level_index(level: Level) -> usize {
    match level {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Note => 2,
    }
}

fn lint_table(findings: &[Finding], out: &mut dyn Write) -> io::Result<()> {
    let all: Vec<&Finding> = findings.iter().collect();
    let mut lints = per_lint(&all);
    // Most serious first, then most numerous.
    lints.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    writeln!(out, "| lint | level | findings |")?;
    writeln!(out, "| --- | --- | --: |")?;
    for (name, level, count) in lints.iter().take(SUMMARY_LINTS) {
        writeln!(out, "| `{name}` | {level} | {count} |")?;
    }
    if lints.len() > SUMMARY_LINTS {
        let rest: usize = lints[SUMMARY_LINTS..].iter().map(|l| l.2).sum();
        writeln!(
            out,
            "| {} other lints | | {rest} |",
            lints.len() - SUMMARY_LINTS
        )?;
    }
    writeln!(out)
}

fn first_findings(findings: &[Finding], options: &Options, out: &mut dyn Write) -> io::Result<()> {
    let listed = annotatable(findings);
    if listed.is_empty() {
        return Ok(());
    }
    let shown = listed.len().min(SUMMARY_FINDINGS);
    if shown == listed.len() {
        writeln!(out, "Errors and warnings:\n")?;
    } else {
        writeln!(
            out,
            "The first {shown} of {} errors and warnings:\n",
            listed.len()
        )?;
    }
    for f in &listed[..shown] {
        let path = options.paths.relative(&f.file);
        let place = format!("{path}:{}", f.line);
        let place = match &options.blob_url {
            Some(blob) if !path.starts_with('/') && !path.starts_with("../") => {
                format!("[{}]({blob}/{}#L{})", md(&place), uri(&path), f.line)
            }
            _ => format!("`{place}`"),
        };
        writeln!(
            out,
            "- **{}** `{}` {place}: {}",
            f.level,
            f.lint,
            md(&f.message)
        )?;
    }
    if listed.len() > shown {
        writeln!(
            out,
            "\n{} more: `helpbook check` lists them all.",
            listed.len() - shown
        )?;
    }
    writeln!(out)
}

/// Text for Markdown: code spans (between backticks) kept as they are,
/// Markdown and HTML punctuation escaped elsewhere; line breaks as spaces.
fn md(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let parts: Vec<&str> = text.split('`').collect();
    let ticks = parts.len() - 1;
    // An odd number of backticks leaves the last one unpaired: it is text.
    let unpaired = |i: usize| ticks % 2 == 1 && i == ticks;
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(if unpaired(i) { "\\`" } else { "`" });
        }
        if i % 2 == 1 && !unpaired(i) {
            out.push_str(part);
            continue;
        }
        for c in part.chars() {
            if "\\*_[]<>#!|~&".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    #[test]
    fn github_escapes() {
        let mut f = Finding::new(
            lint::LINK_BROKEN,
            "a,b.md",
            Pos { line: 3, column: 4 },
            "50% of\nit",
        );
        f.level = Level::Error;
        let mut out = Vec::new();
        annotations(&[f], &Options::default(), &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            text.lines().next(),
            Some("::error file=a%2Cb.md,line=3,col=4,title=link%3A%3Abroken::50%25 of%0Ait")
        );
    }

    /// Past nine lints left out, the rest share the tenth notice.
    #[test]
    fn at_most_ten_notices() {
        let findings: Vec<Finding> = lint::ALL
            .iter()
            .take(12)
            .map(|l| {
                let mut f = Finding::new(*l, "a.md", Pos::START, "m");
                f.level = Level::Warning;
                f
            })
            .collect();
        let options = Options {
            max_annotations: 0,
            ..Options::default()
        };
        let mut out = Vec::new();
        annotations(&findings, &options, &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let notices: Vec<&str> = text.lines().filter(|l| l.starts_with("::notice")).collect();
        assert_eq!(notices.len(), 10, "{text}");
        assert!(!text.contains("::warning"), "{text}");
        let last = notices[9];
        assert!(
            last.contains("::3 more findings of 3 other lints not annotated ("),
            "{last}"
        );
        // Every lint is named by exactly one notice (in its text, after the
        // title).
        for f in &findings {
            let named = notices
                .iter()
                .filter(|n| {
                    let body = n.splitn(3, "::").nth(2).unwrap_or_default();
                    [" ", ",", ")"]
                        .iter()
                        .any(|end| body.contains(&format!("{}{end}", f.lint)))
                })
                .count();
            assert_eq!(named, 1, "{} in {text}", f.lint);
        }
    }

    #[test]
    fn markdown_escapes_outside_code() {
        assert_eq!(md("a <b> `x<y>|` *c*"), "a \\<b\\> `x<y>|` \\*c\\*");
        assert_eq!(md("one ` tick"), "one \\` tick");
        assert_eq!(md("`a` and `b"), "`a` and \\`b");
        assert_eq!(md("line\nbreak"), "line break");
    }
}
