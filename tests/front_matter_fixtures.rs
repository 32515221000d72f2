//! One fixture folder per front-matter problem: `tests/fixtures/front-matter/<case>/`
//! holds `article.md` (the input, bytes as they are: BOM, CRLF…) and
//! `expected.txt`, which lists what parsing it must give:
//!
//! ```text
//! # comment: what the case guards against
//! finding LINT LINE:COL      one line per finding, in order (all of them)
//! title TEXT                 the article's title (front matter, else heading)
//! pairs N                    segment pairs read from the body
//! heading TEXT               the first line of the target document that starts with `#`
//! ```
//!
//! Every case must still load: a title and the body's pairs.

use helpbook::model::Article;
use std::path::Path;

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/front-matter")
}

/// What `expected.txt` checks, rendered from a parsed article.
fn describe(a: &Article) -> String {
    let mut out = String::new();
    for f in &a.findings {
        out.push_str(&format!("finding {} {}:{}\n", f.lint, f.line, f.column));
    }
    out.push_str(&format!("title {}\n", a.title().unwrap_or_default()));
    out.push_str(&format!("pairs {}\n", a.segments.len()));
    let heading = a.target.lines().find(|l| l.starts_with('#'));
    out.push_str(&format!("heading {}\n", heading.unwrap_or_default()));
    out
}

fn parse(case: &Path) -> Article {
    let bytes = std::fs::read(case.join("article.md")).expect("article.md");
    let file = format!(
        "front-matter/{}/article.md",
        case.file_name().unwrap_or_default().to_string_lossy()
    );
    helpbook::parse::article("sv-SE", "article.md", &file, &bytes)
}

#[test]
fn every_case_gives_its_findings_and_still_loads() {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 7, "{} cases", cases.len());
    let mut failures = String::new();
    for case in &cases {
        let expected = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
        let expected: String = expected
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| format!("{l}\n"))
            .collect();
        let a = parse(case);
        let actual = describe(&a);
        if actual != expected {
            failures.push_str(&format!(
                "\n== {}\n-- expected\n{expected}-- actual\n{actual}",
                case.display()
            ));
        }
        assert!(a.title().is_some(), "{}: no title", case.display());
        assert!(!a.segments.is_empty(), "{}: no pairs", case.display());
    }
    assert!(failures.is_empty(), "fixtures that differ:{failures}");
}

/// An invalid-YAML finding points inside the YAML block, at a real column of
/// its line, and the keys that parse on their own are kept.
#[test]
fn invalid_yaml_points_into_the_block() {
    for case in ["invalid-yaml", "invalid-yaml-after-cjk"] {
        let dir = fixtures().join(case);
        let a = parse(&dir);
        let text = std::fs::read_to_string(dir.join("article.md")).expect("article.md");
        let closing = text
            .lines()
            .skip(1)
            .position(|l| l == "---")
            .expect("a closing fence")
            + 2;
        let f = a
            .findings
            .iter()
            .find(|f| f.lint == "frontmatter::invalid")
            .expect("an invalid finding");
        assert!((2..closing).contains(&f.line), "{case}: line {}", f.line);
        let line = text.lines().nth(f.line - 1).expect("the line exists");
        assert_eq!(
            line.chars().nth(f.column - 1),
            Some(':'),
            "{case}: {line:?}"
        );
        assert!(a.front.is_machine_translated(), "{case}: later keys kept");
    }
}
