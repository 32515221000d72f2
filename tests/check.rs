//! `helpbook check`, lint by lint: one fixture project per lint under
//! `tests/fixtures/check/<group>-<lint>/`, with `content/<locale>/hit.md` (true
//! positives), `content/<locale>/miss.md` (a near miss that must not fire) and
//! `expect.txt` (every finding of that lint, as `locale/path:line:column`).
//! The findings of the fixture's lint must be exactly those listed.

use helpbook::config::Config;
use helpbook::diag::{lint, Finding};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check")
}

/// Checks the project in `dir` as `helpbook check` does.
fn run(dir: &Path) -> Vec<Finding> {
    let config = Config::load(dir).expect("fixture config");
    helpbook::pipeline::check(config, &[], false).expect("fixture checks")
}

/// `locale/path:line:column` relative to the fixture's content folder.
fn place(dir: &Path, f: &Finding) -> String {
    let content = dir.join("content");
    let file = Path::new(&f.file);
    let rel = file.strip_prefix(&content).unwrap_or(file);
    format!("{}:{}:{}", rel.display(), f.line, f.column)
}

fn expected(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("expect.txt")).expect("expect.txt");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.trim().to_string())
        .collect()
}

fn case(name: &str) {
    let dir = fixtures().join(name);
    let lint_name = name.replacen('-', "::", 1);
    assert!(
        lint::ALL.iter().any(|l| l.name == lint_name),
        "{name}: no lint {lint_name}"
    );
    let misses = walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "miss.md")
        .count();
    assert!(misses > 0, "{name}: the fixture has no near miss (miss.md)");
    let want = expected(&dir);
    assert!(
        !want.is_empty(),
        "{name}: expect.txt lists no true positive"
    );
    let mut got: Vec<String> = run(&dir)
        .iter()
        .filter(|f| f.lint == lint_name)
        .map(|f| place(&dir, f))
        .collect();
    got.sort();
    let mut want = want;
    want.sort();
    assert_eq!(got, want, "{name}: findings of {lint_name}");
}

macro_rules! cases {
    ($($test:ident = $name:literal;)*) => {
        $(#[test] fn $test() { case($name); })*

        /// Every fixture folder has its test, and every lint the issue names has a fixture.
        #[test]
        fn every_fixture_is_tested() {
            let mut names: Vec<String> = std::fs::read_dir(fixtures())
                .expect("fixtures")
                .filter_map(Result::ok)
                .filter(|e| e.path().join("expect.txt").is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            let mut tested = vec![$($name.to_string()),*];
            tested.sort();
            assert_eq!(names, tested);
        }
    };
}

cases! {
    sxs_unterminated = "sxs-unterminated";
    sxs_orphan_translation = "sxs-orphan-translation";
    sxs_orphan_source = "sxs-orphan-source";
    sxs_id_mismatch = "sxs-id-mismatch";
    sxs_nested_span = "sxs-nested-span";
    segment_untranslated = "segment-untranslated";
    segment_stale = "segment-stale";
    segment_missing = "segment-missing";
    markup_link_count = "markup-link-count";
    markup_link_url = "markup-link-url";
    markup_empty_link_text = "markup-empty-link-text";
    markup_emphasis = "markup-emphasis";
    markup_unrendered_emphasis = "markup-unrendered-emphasis";
    markup_broken_link = "markup-broken-link";
    link_broken = "link-broken";
    link_root_relative = "link-root-relative";
    article_missing_translation = "article-missing-translation";
    article_outdated = "article-outdated";
    article_duplicate_anchor = "article-duplicate-anchor";
    article_missing_title = "article-missing-title";
    article_locale_mismatch = "article-locale-mismatch";
    frontmatter_invalid = "frontmatter-invalid";
    frontmatter_missing = "frontmatter-missing";
}
