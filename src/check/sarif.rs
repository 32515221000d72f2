//! Findings as SARIF 2.1.0, the format code-scanning tools read (GitHub code
//! scanning, IDE viewers).
//!
//! One run of one tool (`helpbook`) whose rules are every lint, in the order
//! of `lint::ALL`: its name as the id, its default level, and its help text
//! from `docs/check.md` (compiled in with `include_str!`, so the text a tool
//! shows is the text the documentation has): the "what it finds" cell of the
//! lint table as the short description, and the paragraph of "What each lint
//! compares" that names the lint (or its group) as the full description and
//! help. Each finding is a result with its level, message and place: the file
//! as a relative URI reference (against `%SRCROOT%`, the repository root or
//! current folder), line and column counted in Unicode code points
//! (`columnKind`). Notes are results too, as in the JSON format.
//!
//! `tests/check_sarif.rs` validates the output against the published SARIF
//! 2.1.0 JSON schema.

use super::location::{uri, Paths};
use crate::diag::{lint, Finding, Level, Lint};
use serde::Serialize;
use std::io::{self, Write};

/// The documentation the rules' help comes from.
const DOC: &str = include_str!("../../docs/check.md");

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The base id relative artifact URIs are resolved against.
const SRCROOT: &str = "%SRCROOT%";

/// How to write SARIF.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// File names relative to the repository (or the current folder).
    pub paths: Paths,
    /// The absolute folder `%SRCROOT%` stands for, when known.
    pub root: Option<std::path::PathBuf>,
    /// Whether a baseline took out the findings it had: every result is then
    /// marked `baselineState: new`.
    pub baseline: bool,
}

/// Writes `findings` as one SARIF log.
pub fn write(findings: &[Finding], options: &Options, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(findings, options))?;
    writeln!(out)
}

fn log<'a>(findings: &'a [Finding], options: &Options) -> Log<'a> {
    let results = findings.iter().map(|f| result(f, options)).collect();
    // Only a root written as a Unix path becomes a `file://` URI here.
    let original_uri_base_ids = options
        .root
        .as_ref()
        .map(|root| Paths::default().relative(&root.to_string_lossy()))
        .filter(|dir| dir.starts_with('/'))
        .map(|mut dir| {
            if !dir.ends_with('/') {
                dir.push('/');
            }
            let location = ArtifactLocation {
                uri: uri(&dir),
                uri_base_id: None,
            };
            std::collections::BTreeMap::from([(SRCROOT, location)])
        });
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "helpbook",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: lint::ALL.iter().map(rule).collect(),
                },
            },
            original_uri_base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    }
}

fn level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

fn rule(l: &Lint) -> Rule {
    let short = short_description(l.name).unwrap_or(l.summary).to_string();
    let more = explanation(l.name);
    let help = more.clone().unwrap_or_else(|| short.clone());
    Rule {
        id: l.name,
        short_description: Text {
            text: short.clone(),
        },
        full_description: Text {
            text: more.unwrap_or(short),
        },
        help: Help {
            text: help.clone(),
            markdown: help,
        },
        help_uri: concat!(
            env!("CARGO_PKG_REPOSITORY"),
            "/blob/main/docs/check.md#what-each-lint-compares"
        ),
        default_configuration: Configuration {
            level: level(l.default_level),
        },
    }
}

fn result<'a>(f: &'a Finding, options: &Options) -> SarifResult<'a> {
    let path = options.paths.relative(&f.file);
    let relative = !path.starts_with('/');
    SarifResult {
        rule_id: f.lint,
        rule_index: lint::ALL.iter().position(|l| l.name == f.lint),
        level: level(f.level),
        message: Text {
            text: f.message.as_str(),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri(&path),
                    uri_base_id: relative.then_some(SRCROOT),
                },
                region: Region {
                    start_line: f.line.max(1),
                    start_column: f.column.max(1),
                },
            },
        }],
        baseline_state: options.baseline.then_some("new"),
    }
}

/// The "what it finds" cell of the lint's row in the lint table.
fn short_description(name: &str) -> Option<&'static str> {
    let row = format!("| `{name}` |");
    let line = DOC.lines().find(|l| l.starts_with(&row))?;
    // | `name` | level | what it finds |
    let cells: Vec<&str> = line.trim().trim_matches('|').splitn(3, '|').collect();
    cells.get(2).map(|c| c.trim()).filter(|c| !c.is_empty())
}

/// The bullet of "What each lint compares" that names the lint in bold, or
/// its group (`**markup::\*`), with its sub-bullets; indentation removed.
fn explanation(name: &str) -> Option<String> {
    let section = DOC.split("### What each lint compares").nth(1)?;
    let section = section.split("\n#").next().unwrap_or(section);
    let own = format!("**{name}**");
    let group = name.split("::").next().map(|g| format!("**{g}::\\*"));
    let mut bullets: Vec<Vec<&str>> = Vec::new();
    for line in section.lines() {
        if let Some(rest) = line.strip_prefix("- ") {
            bullets.push(vec![rest]);
        } else if let Some(rest) = line.strip_prefix("  ") {
            if let Some(b) = bullets.last_mut() {
                b.push(rest);
            }
        } else if !line.trim().is_empty() {
            // A paragraph after the list ends the last bullet.
            bullets.push(Vec::new());
        }
    }
    let named = |b: &&Vec<&str>| {
        let text = b.join("\n");
        text.contains(&own) || group.as_ref().is_some_and(|g| text.contains(g.as_str()))
    };
    bullets.iter().find(named).map(|b| b.join("\n"))
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<std::collections::BTreeMap<&'static str, ArtifactLocation>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text<String>,
    full_description: Text<String>,
    help: Help,
    help_uri: &'static str,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<&'a str>,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lint's rule has its row's text from docs/check.md.
    #[test]
    fn every_rule_has_its_documented_description() {
        for l in lint::ALL {
            let short = short_description(l.name);
            assert!(short.is_some(), "docs/check.md has no row for {}", l.name);
        }
        assert_eq!(
            short_description("link::outside"),
            Some("a link or include climbs out of the locale folder (reported by `build`)")
        );
    }

    #[test]
    fn explanations_come_from_the_lint_or_its_group() {
        let own = explanation("link::broken").expect("link::broken is explained");
        assert!(
            own.starts_with("**link::broken**: in the translated document"),
            "{own}"
        );
        let group = explanation("markup::link-url").expect("markup::* is explained");
        assert!(group.starts_with("**markup::\\*** compare"), "{group}");
        assert!(
            group.contains("\n- `link-url`: the set of link URLs differs"),
            "{group}"
        );
        assert_eq!(explanation("file::crlf"), None);
    }
}
