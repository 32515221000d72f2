//! Runs the examples of `tests/specs/sxs.txt`: the sxs format as data.
//!
//! Each example gives an input body and the expected target document, source
//! document, pairs and problems (see the top of the spec file for the syntax).
//! The runner also checks, for every example, that each pair's ranges index
//! its own texts in the two documents. All failures are collected and shown
//! together, each with the example's title and spec line.

use helpbook::diag::LineIndex;
use helpbook::parse::sxs::{self, ProblemKind, Scanned};
use std::fmt::Write as _;

const SPEC: &str = include_str!("specs/sxs.txt");

#[derive(Debug, Default)]
struct Example {
    title: String,
    line: usize,
    input: String,
    target: String,
    source: String,
    pairs: Vec<String>,
    problems: Vec<String>,
}

fn is_fence(line: &str) -> bool {
    line.len() >= 4 && line.chars().all(|c| c == '~')
}

fn section_name(line: &str) -> Option<&str> {
    let dots = line.bytes().take_while(|&b| b == b'.').count();
    (dots >= 4).then(|| line[dots..].trim())
}

/// Reads every example block of the spec.
fn examples(spec: &str) -> Vec<Example> {
    let mut out = Vec::new();
    let mut title = String::new();
    let mut current: Option<(Example, String)> = None;
    for (i, line) in spec.lines().enumerate() {
        match current.as_mut() {
            None => {
                if let Some(t) = line.strip_prefix("## ") {
                    title = t.to_string();
                }
                let tildes = line.bytes().take_while(|&b| b == b'~').count();
                if tildes >= 4 && line[tildes..].trim() == "example" {
                    let ex = Example {
                        title: title.clone(),
                        line: i + 1,
                        ..Example::default()
                    };
                    current = Some((ex, "input".to_string()));
                }
            }
            Some((ex, section)) => {
                if is_fence(line) {
                    let (ex, _) = current.take().expect("inside an example");
                    out.push(ex);
                    continue;
                }
                if let Some(name) = section_name(line) {
                    *section = name.to_string();
                    continue;
                }
                let text = line.replace('→', "\t");
                match section.as_str() {
                    "input" => push_line(&mut ex.input, &text),
                    "target" => push_line(&mut ex.target, &text),
                    "source" => push_line(&mut ex.source, &text),
                    "pairs" if !text.trim().is_empty() => ex.pairs.push(text),
                    "problems" if !text.trim().is_empty() => ex.problems.push(text),
                    "pairs" | "problems" => {}
                    other => panic!("spec line {}: unknown section `{other}`", i + 1),
                }
            }
        }
    }
    assert!(current.is_none(), "the last example is not closed");
    out
}

fn push_line(s: &mut String, line: &str) {
    s.push_str(line);
    s.push('\n');
}

fn lint_name(kind: ProblemKind) -> &'static str {
    match kind {
        ProblemKind::Unterminated => "sxs::unterminated",
        ProblemKind::OrphanTranslation => "sxs::orphan-translation",
        ProblemKind::OrphanSource => "sxs::orphan-source",
        ProblemKind::IdMismatch => "sxs::id-mismatch",
        ProblemKind::NestedSpan => "sxs::nested-span",
    }
}

fn escape(s: &str) -> String {
    s.replace('\n', "\\n")
}

fn actual_pairs(input: &str, s: &Scanned) -> Vec<String> {
    let index = LineIndex::new(input);
    s.pairs
        .iter()
        .map(|p| {
            let pos = index.pos(p.offset);
            format!(
                "{}:{} {} «{}» «{}»",
                pos.line,
                pos.column,
                p.id,
                escape(&p.target),
                escape(&p.source)
            )
        })
        .collect()
}

fn actual_problems(input: &str, s: &Scanned) -> Vec<String> {
    let index = LineIndex::new(input);
    s.problems
        .iter()
        .map(|p| {
            let pos = index.pos(p.offset);
            format!("{} {}:{}", lint_name(p.kind), pos.line, pos.column)
        })
        .collect()
}

/// Checks one example; returns what differs.
fn check(ex: &Example) -> Vec<String> {
    let s = sxs::scan(&ex.input);
    let mut diffs = Vec::new();
    let mut differ = |what: &str, expected: String, actual: String| {
        if expected != actual {
            diffs.push(format!(
                "{what}:\n  expected: {expected:?}\n  actual:   {actual:?}"
            ));
        }
    };
    differ("target", ex.target.clone(), s.target.clone());
    differ("source", ex.source.clone(), s.source.clone());
    differ(
        "pairs",
        ex.pairs.join("\n"),
        actual_pairs(&ex.input, &s).join("\n"),
    );
    differ(
        "problems",
        ex.problems.join("\n"),
        actual_problems(&ex.input, &s).join("\n"),
    );
    for p in &s.pairs {
        let t = s.target.get(p.target_range.clone());
        let so = s.source.get(p.source_range.clone());
        if t != Some(p.target.as_str()) || so != Some(p.source.as_str()) {
            diffs.push(format!(
                "pair {}: its ranges index {t:?} / {so:?}, not its texts",
                p.id
            ));
        }
    }
    diffs
}

#[test]
fn spec_examples() {
    let examples = examples(SPEC);
    assert!(
        examples.len() >= 25,
        "only {} examples read",
        examples.len()
    );
    let mut report = String::new();
    for ex in &examples {
        assert!(!ex.input.is_empty(), "spec line {}: empty input", ex.line);
        let diffs = check(ex);
        if !diffs.is_empty() {
            let _ = writeln!(report, "\n## {} (spec line {})", ex.title, ex.line);
            for d in diffs {
                let _ = writeln!(report, "{d}");
            }
        }
    }
    assert!(report.is_empty(), "examples that fail:{report}");
}

/// Every row of DESIGN §3's malformed-input table has at least one example.
#[test]
fn spec_covers_every_problem_kind() {
    let examples = examples(SPEC);
    for lint in [
        "sxs::orphan-translation",
        "sxs::orphan-source",
        "sxs::id-mismatch",
        "sxs::nested-span",
        "sxs::unterminated",
    ] {
        assert!(
            examples
                .iter()
                .any(|e| e.problems.iter().any(|p| p.starts_with(lint))),
            "no example for {lint}"
        );
    }
}

/// The runner itself: a wrong expectation is reported, not passed.
#[test]
fn runner_reports_a_wrong_expectation() {
    let mut ex = examples(SPEC).remove(0);
    assert!(check(&ex).is_empty());
    ex.target.push('x');
    ex.pairs[0] = ex.pairs[0].replace("1:1", "1:2");
    assert_eq!(check(&ex).len(), 2);
}
