//! The languages of the real 36-language docset (the Alchemy Insights help
//! articles: 36 locale repositories beside the English), each built from a
//! slice of the real corpus copied under its tag, as the scale bench fans
//! the corpus out. Every one gets chrome in its own language (no
//! `theme::no-strings`), its name in itself, distinct from the others, its
//! direction, and the site passes sitecheck. Skips, saying why, without
//! the corpus.

use crate::support;

use support::docset::DOCSET;
use support::{helpbook, run};
use unicode_width::UnicodeWidthStr;

/// Every `EVERY`-th corpus article: a dozen per language.
const EVERY: usize = 250;

/// A project of the docset's languages, each a slice of the corpus; None
/// (the test skips) without the corpus.
fn docset() -> Option<support::Project> {
    let (real, further): (Vec<_>, Vec<_>) = DOCSET.into_iter().partition(|(t, f)| t == f);
    let real: Vec<&str> = real.into_iter().map(|(t, _)| t).collect();
    support::fanned_slice(&real, &further, EVERY)
}

#[test]
fn every_language_of_the_docset_has_its_own_chrome_and_name() {
    let Some(project) = docset() else {
        return;
    };

    let mut cmd = helpbook(project.root());
    cmd.args(["check", "--format", "json"]);
    let out = run(cmd);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("check's JSON");
    let lints = json["summary"]["lints"].as_array().expect("lints");
    let no_strings: Vec<&serde_json::Value> = lints
        .iter()
        .filter(|l| l["lint"] == "theme::no-strings")
        .collect();
    assert!(
        no_strings.is_empty(),
        "languages left in English: {no_strings:?}"
    );

    let site = project.build_with(&["--dest", "out"]).success();
    let english = site.html("en-us/index.html");
    let english_skip = english.texts(".skip-link");
    let root = site.html("index.html");
    let names = root.texts("a[hreflang]");
    assert_eq!(names.len(), DOCSET.len() + 1, "{names:?}");
    let mut distinct = names.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        names.len(),
        "two languages share a name: {names:?}"
    );
    for (tag, _) in DOCSET {
        let slug = tag.to_ascii_lowercase();
        let index = site.html(&format!("{slug}/index.html"));
        assert_eq!(index.attrs("html", "lang"), [tag]);
        let dir = if matches!(tag, "ar-SA" | "he-IL") {
            "rtl"
        } else {
            "ltr"
        };
        assert_eq!(index.attrs("html", "dir"), [dir], "{tag}");
        assert_ne!(
            index.texts(".skip-link"),
            english_skip,
            "{tag}: English chrome"
        );
        let name = root
            .all(&format!("a[hreflang=\"{tag}\"]"))
            .first()
            .map(support::text)
            .unwrap_or_else(|| panic!("{tag} is not on the root index"));
        assert!(
            !name.contains(tag) && !name.is_empty(),
            "{tag} is named by its tag: {name}"
        );
    }
}

/// `status` on a terminal of 100 columns (`COLUMNS`, as a terminal's width
/// is read) at the docset's 36 languages: every line fits, the columns left
/// out are named, and each row's figures are the JSON report's. Piped, or
/// with `--wide`, the table keeps all 14 columns.
#[test]
fn status_fits_a_terminal_of_100_columns() {
    let Some(project) = docset() else {
        return;
    };
    let status = |columns: Option<&str>, args: &[&str]| {
        let mut cmd = helpbook(project.root());
        cmd.arg("status").args(args);
        if let Some(columns) = columns {
            cmd.env("COLUMNS", columns);
        }
        let out = run(cmd);
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout).expect("UTF-8")
    };
    let header = |table: &str| -> Vec<String> {
        let first = table.lines().next().unwrap_or_default();
        first.split_whitespace().map(str::to_string).collect()
    };
    let every = [
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

    let piped = status(None, &[]);
    assert_eq!(header(&piped), every);
    assert!(
        piped.lines().any(|l| l.width() > 100),
        "the full table is wider than the test's terminal:\n{piped}"
    );
    assert_eq!(header(&status(Some("100"), &["--wide"])), every);

    let narrow = status(Some("100"), &[]);
    for line in narrow.lines() {
        assert!(line.width() <= 100, "too wide: {line}");
    }
    let shown = header(&narrow);
    let left_out: Vec<&str> = every
        .into_iter()
        .filter(|c| !shown.iter().any(|s| s == c))
        .collect();
    assert_eq!(left_out, ["name", "pairs", "oldest", "newest"], "{narrow}");
    let note = narrow
        .split_once("not shown: ")
        .unwrap_or_else(|| panic!("the left-out columns are named:\n{narrow}"))
        .1
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(note, "pairs, name, oldest, newest (--wide shows them)");

    let json: serde_json::Value =
        serde_json::from_str(&status(None, &["--format", "json"])).expect("status JSON");
    let field = |column: &str| match column {
        "articles" => "articles",
        "missing" => "missing_articles",
        "outdated" => "outdated_articles",
        "MT" => "machine_translated",
        "stale" => "stale_segments",
        "seg-missing" => "missing_segments",
        "untransl." => "untranslated_segments",
        "errors" => "errors",
        "warnings" => "warnings",
        other => panic!("no field for {other}"),
    };
    let locales = json["locales"].as_array().expect("locales");
    assert_eq!(locales.len(), DOCSET.len());
    let rows: Vec<Vec<&str>> = narrow
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for locale in locales {
        let tag = locale["locale"].as_str().expect("a tag");
        let row = rows
            .iter()
            .find(|r| r.first() == Some(&tag))
            .unwrap_or_else(|| panic!("no row for {tag}:\n{narrow}"));
        assert_eq!(row.len(), shown.len(), "{row:?}");
        for (column, cell) in shown.iter().zip(row).skip(1) {
            assert_eq!(locale[field(column)].to_string(), *cell, "{tag} {column}");
        }
    }
}
