//! The default theme's article and side-by-side pages are written by Rust
//! code (`src/theme/compiled.rs`) rather than by Tera. These tests build
//! sites both ways and require every file to be byte-identical: the example
//! project, every build and browser fixture (right-to-left, fallback pages,
//! alerts, hostile content …), the check showcase (outdated, machine
//! translated and stale articles), with search on and off, and a slice of
//! the real corpus when `../shared/corpus` is present.
//!
//! A change to `base.html`, `article.html` or `sxs.html` without the same
//! change in `compiled.rs` fails here.

use crate::support;

use helpbook::config::Config;
use helpbook::theme::Theme;
use helpbook::write::Staging;
use std::path::{Path, PathBuf};
use support::{assert_same_tree, repo};

/// Builds `root` into `dest` with `theme`.
fn build(root: &Path, search: bool, theme: &Theme, dest: &Path) {
    let mut config = Config::load(root).expect("config");
    config.html.search.enabled = search;
    let staging = Staging::new(dest).expect("staging");
    helpbook::pipeline::build(config, theme, &[], &staging).expect("site builds");
    staging.commit().expect("commit");
}

/// Builds `root` with the compiled pages and with Tera alone, and compares.
/// Returns the number of files compared.
fn same_both_ways(root: &Path, search: bool) -> usize {
    let config = Config::load(root).expect("config");
    let compiled = Theme::load(&config.root, &config.theme).expect("theme");
    assert!(compiled.is_compiled(), "{}", root.display());
    let tera = Theme::load(&config.root, &config.theme)
        .expect("theme")
        .tera_only();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (a, b) = (tmp.path().join("compiled"), tmp.path().join("tera"));
    build(root, search, &compiled, &a);
    build(root, search, &tera, &b);
    assert_same_tree(&a, &b);
    walkdir::WalkDir::new(&a)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .count()
}

/// Project folders under `tests/fixtures/<group>/`.
fn fixtures(group: &str) -> Vec<PathBuf> {
    let dir = repo().join("tests/fixtures").join(group);
    let mut all: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    all.sort();
    all
}

#[test]
fn example_and_fixtures_are_the_same_compiled_and_with_tera() {
    let mut projects = vec![repo().to_path_buf()];
    projects.extend(fixtures("build"));
    projects.extend(fixtures("browser"));
    projects.push(repo().join("tests/fixtures/check/showcase"));
    projects.push(repo().join("tests/fixtures/check/article-outdated"));
    for root in &projects {
        for search in [true, false] {
            let files = same_both_ways(root, search);
            assert!(files > 3, "{}: only {files} files", root.display());
        }
    }
}

#[test]
fn corpus_slice_is_the_same_compiled_and_with_tera() {
    let corpus = repo().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipping: {} is absent", corpus.display());
        return;
    }
    // Every 12th article of each locale, into a scratch project
    // (`support::corpus_slice`; the corpus is never copied into the
    // repository).
    let tmp = tempfile::tempdir().expect("tempdir");
    let content = tmp.path().join("content");
    let locales = ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"];
    let taken = crate::support::corpus_slice(&corpus, &content, &locales, 12);
    assert!(taken > 1000, "{taken} articles");
    let files = same_both_ways(&content, true);
    assert!(files > 2 * taken, "{files} files for {taken} articles");
}

#[test]
fn an_overridden_template_turns_the_compiled_pages_off() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let templates = tmp.path().join("themes/default/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    let base = std::fs::read_to_string(repo().join("themes/default/templates/base.html"))
        .expect("base.html");
    std::fs::write(
        templates.join("base.html"),
        base.replace("<body>", "<body class=\"custom\">"),
    )
    .expect("write");
    let theme = Theme::load(tmp.path(), "default").expect("theme");
    assert!(!theme.is_compiled());
    // The same file as the built-in one keeps them on.
    std::fs::write(templates.join("base.html"), &base).expect("write");
    let theme = Theme::load(tmp.path(), "default").expect("theme");
    assert!(theme.is_compiled());
}
