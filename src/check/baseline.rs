//! `check --baseline FILE`: findings an earlier run already had are set aside,
//! so that CI fails only on new ones.
//!
//! The baseline is an earlier `check --format json` output (schema 1 or 2). A
//! finding matches a baseline entry with the same lint, file and message;
//! line and column are not compared, so a finding survives lines added or
//! removed above it. Entries are counted: two identical findings in the
//! baseline excuse two now, a third is new. File names are compared as
//! written (lexically normalised: `./a.md` is `a.md`), so run `check` from
//! the same folder with the same `DIR` as when the baseline was made.
//!
//! Pure: the command reads the file and passes its text.

use super::location::Paths;
use crate::diag::Finding;
use serde::Deserialize;
use std::collections::HashMap;

/// The findings of a baseline, counted by what a match compares.
#[derive(Debug, Default)]
pub struct Baseline {
    counts: HashMap<Key, usize>,
}

/// Lint, file (normalised), message.
type Key = (String, String, String);

#[derive(Deserialize)]
struct Document {
    schema: u32,
    findings: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    lint: String,
    file: String,
    message: String,
}

impl Baseline {
    /// Reads a `check --format json` document. The error says what is wrong
    /// and, for JSON that does not parse or fit, at which line and column.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let doc: Document = serde_json::from_str(text)
            .map_err(|e| format!("not a `helpbook check --format json` output: {e}"))?;
        if !matches!(doc.schema, 1 | 2) {
            return Err(format!(
                "schema {} is not one this helpbook reads (1 or 2)",
                doc.schema
            ));
        }
        let mut counts = HashMap::new();
        for e in doc.findings {
            *counts.entry(key(&e.lint, &e.file, &e.message)).or_insert(0) += 1;
        }
        Ok(Baseline { counts })
    }

    /// The findings the baseline does not excuse, in their order, and how
    /// many it excused.
    pub fn new_findings(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let mut left = self.counts.clone();
        let mut excused = 0;
        let mut new = Vec::new();
        for f in findings {
            match left.get_mut(&key(f.lint, &f.file, &f.message)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    excused += 1;
                }
                _ => new.push(f),
            }
        }
        (new, excused)
    }
}

fn key(lint: &str, file: &str, message: &str) -> Key {
    (
        lint.to_string(),
        Paths::default().relative(file),
        message.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{lint, Pos};

    fn finding(line: usize, message: &str) -> Finding {
        Finding::new(
            lint::MARKUP_EMPHASIS,
            "content/zh-CN/a.md",
            Pos { line, column: 4 },
            message,
        )
    }

    fn json(findings: &[Finding]) -> String {
        serde_json::json!({ "schema": 1, "findings": findings }).to_string()
    }

    #[test]
    fn matches_survive_line_shifts_and_are_counted() {
        let before = [finding(3, "twice"), finding(5, "twice"), finding(9, "once")];
        let baseline = Baseline::parse(&json(&before)).expect("a baseline");
        // Every line moved down by 4; a third "twice" and a new message.
        let now = vec![
            finding(7, "twice"),
            finding(9, "twice"),
            finding(11, "twice"),
            finding(13, "once"),
            finding(20, "new"),
        ];
        let (new, excused) = baseline.new_findings(now);
        assert_eq!(excused, 3);
        let left: Vec<(usize, &str)> = new.iter().map(|f| (f.line, f.message.as_str())).collect();
        assert_eq!(left, [(11, "twice"), (20, "new")]);
    }

    #[test]
    fn another_file_or_lint_is_new() {
        let baseline = Baseline::parse(&json(&[finding(3, "m")])).expect("a baseline");
        let mut other_file = finding(3, "m");
        other_file.file = "content/ja-JP/a.md".into();
        let mut other_lint = finding(3, "m");
        other_lint.lint = lint::LINK_BROKEN.name;
        let mut same = finding(3, "m");
        same.file = "./content/zh-CN/a.md".into();
        let (new, excused) = baseline.new_findings(vec![other_file, other_lint, same]);
        assert_eq!((new.len(), excused), (2, 1));
    }

    #[test]
    fn bad_baselines_say_why() {
        let err =
            Baseline::parse("{\"schema\": 1,\n \"findings\": [{\"lint\": 3}]}").expect_err("bad");
        assert!(err.contains("line 2"), "{err}");
        let err = Baseline::parse("{\"schema\": 3, \"findings\": []}").expect_err("bad");
        assert!(err.contains("schema 3"), "{err}");
        assert!(Baseline::parse("{\"schema\": 2, \"findings\": []}").is_ok());
    }
}
