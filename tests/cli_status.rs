//! `helpbook status`, run as a user runs it: the built binary, in a folder,
//! with an empty environment (so no colour or locale variables leak in).

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary in `dir` with `args`, environment cleared.
fn helpbook(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .output()
        .expect("the helpbook binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 output")
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

const SEED_LOCALES: [&str; 5] = ["et-EE", "ja-JP", "ro-RO", "sv-SE", "zh-CN"];

#[test]
fn table_at_the_repository_root_lists_the_seed_locales_and_the_english() {
    let out = helpbook(repo(), &["status"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first_cells: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(first_cells[0], "locale", "{text}");
    assert_eq!(first_cells[1], "en-US", "{text}");
    assert_eq!(first_cells[2..7], SEED_LOCALES, "{text}");
    assert_eq!(first_cells[7], "total", "{text}");
    assert!(text.contains("English (rebuilt)"), "{text}");
    assert!(text.contains("中文 (简体)"), "the configured name: {text}");
    assert!(!text.contains('\x1b'), "no colour codes: {text:?}");
}

#[test]
fn json_has_the_documented_fields() {
    let out = helpbook(repo(), &["status", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("status JSON parses");
    assert_eq!(json["schema"], 2);
    assert_eq!(json["source_language"], "en-US");
    assert_eq!(json["english"]["origin"], "rebuilt");
    assert_eq!(json["english"]["articles"], 1);
    assert!(json["english"]["rebuilt_from"].is_object());
    assert!(json["findings"].is_object());
    let locales = json["locales"].as_array().expect("locales is an array");
    let tags: Vec<&str> = locales
        .iter()
        .map(|l| l["locale"].as_str().expect("locale tag"))
        .collect();
    assert_eq!(tags, SEED_LOCALES);
    let fields = [
        "locale",
        "name",
        "articles",
        "missing_articles",
        "orphan_articles",
        "current_articles",
        "outdated_articles",
        "machine_translated",
        "human_translated",
        "pairs",
        "current_segments",
        "stale_segments",
        "missing_segments",
        "untranslated_segments",
        "oldest_handoff",
        "newest_handoff",
        "errors",
        "warnings",
    ];
    for l in locales.iter().chain(std::iter::once(&json["totals"])) {
        let obj = l.as_object().expect("a locale object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut want = fields.to_vec();
        keys.sort_unstable();
        want.sort_unstable();
        assert_eq!(keys, want, "fields of {}", l["locale"]);
        let expected_articles = if l["locale"] == "total" { 5 } else { 1 };
        assert_eq!(l["articles"], expected_articles, "{}", l["locale"]);
        assert_eq!(
            l["current_segments"].as_u64().unwrap_or(0) + l["stale_segments"].as_u64().unwrap_or(0),
            l["pairs"].as_u64().unwrap_or(1),
            "current + stale = pairs for {}",
            l["locale"]
        );
    }
    assert_eq!(json["totals"]["locale"], "total");
    assert_eq!(json["totals"]["articles"], 5);
    // Dates are ISO strings.
    let d = json["locales"][0]["oldest_handoff"]
        .as_str()
        .expect("a date");
    assert!(d.len() == 10 && d.as_bytes()[4] == b'-', "{d}");
    // One entry per translated article, with its counts and reference.
    let articles = json["articles"].as_array().expect("articles is an array");
    assert_eq!(articles.len(), 5);
    for a in articles {
        let obj = a.as_object().expect("an article object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut want = [
            "locale",
            "path",
            "state",
            "current",
            "stale",
            "new",
            "removed",
            "reference_handoff",
            "reference_hash",
        ];
        want.sort_unstable();
        assert_eq!(keys, want);
        let locale = locales
            .iter()
            .find(|l| l["locale"] == a["locale"])
            .expect("its locale");
        assert_eq!(
            a["current"].as_u64().unwrap_or(0)
                + a["stale"].as_u64().unwrap_or(0)
                + a["removed"].as_u64().unwrap_or(0),
            locale["pairs"].as_u64().unwrap_or(1),
            "current + stale + removed = pairs for {}",
            a["locale"]
        );
    }
}

#[test]
fn markdown_has_a_row_per_locale() {
    let out = helpbook(repo(), &["status", "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for tag in SEED_LOCALES {
        assert!(text.contains(&format!("| {tag} |")), "{tag}: {text}");
    }
    assert!(text.contains("| **total** |"), "{text}");
}

const PAIR: &str = r#"<span data-ttu-id="a-1">Hej</span><span class="sxs-lookup"><span data-stu-id="a-1">Hello</span></span>"#;

/// A temporary project: `book.toml` with `toml`, and `content/<dir>/a.md`
/// for each dir.
fn project(toml: &str, dirs: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temp dir");
    std::fs::write(tmp.path().join("book.toml"), toml).expect("book.toml");
    for d in dirs {
        let dir = tmp.path().join("content").join(d);
        std::fs::create_dir_all(&dir).expect("content dir");
        let text = format!("---\ntitle: Hej\nms.lasthandoff: 04/10/2020\n---\n# {PAIR}\n");
        std::fs::write(dir.join("a.md"), text).expect("article");
    }
    tmp
}

#[test]
fn unknown_key_exits_2_naming_key_file_line_and_column() {
    let tmp = project(
        "[book]\ntitle = \"x\"\n\n[build]\nbild-dir = \"out\"\n",
        &["sv-SE"],
    );
    let out = helpbook(tmp.path(), &["status"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("bild-dir"), "names the key: {err}");
    assert!(
        err.contains("book.toml:5:1"),
        "names file, line and column: {err}"
    );
    assert!(stdout(&out).is_empty(), "no report: {}", stdout(&out));
}

#[test]
fn a_folder_that_is_not_a_locale_is_reported_and_skipped() {
    let tmp = project("", &["sv-SE", "breadcrumb"]);
    let out = helpbook(tmp.path(), &["status", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("status JSON parses");
    let tags: Vec<&str> = json["locales"]
        .as_array()
        .expect("locales")
        .iter()
        .map(|l| l["locale"].as_str().expect("tag"))
        .collect();
    assert_eq!(tags, ["sv-SE"]);
    assert_eq!(json["findings"]["load::not-a-locale"], 1);
    assert_eq!(json["totals"]["articles"], 1);

    let out = helpbook(tmp.path(), &["status"]);
    let text = stdout(&out);
    assert!(text.contains("load::not-a-locale 1"), "{text}");
    assert!(!text.lines().any(|l| l.starts_with("breadcrumb")), "{text}");
}

#[test]
fn a_missing_folder_exits_2() {
    let out = helpbook(repo(), &["status", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no/such/folder"), "{}", stderr(&out));
}

/// Regression: `--locale` once rebuilt the English from the chosen locale
/// alone, so that locale looked perfectly current (0 stale, 0 missing).
#[test]
fn locale_filter_keeps_the_english_of_every_locale() {
    let corpus = repo().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let dir = corpus.to_str().expect("UTF-8 path");
    let all = helpbook(repo(), &["status", dir, "--format", "json"]);
    let one = helpbook(
        repo(),
        &["status", dir, "--locale", "sv-SE", "--format", "json"],
    );
    let all: Value = serde_json::from_str(&stdout(&all)).expect("JSON");
    let one: Value = serde_json::from_str(&stdout(&one)).expect("JSON");
    let sv = |v: &Value| {
        v["locales"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["locale"] == "sv-SE"))
            .cloned()
            .expect("an sv-SE row")
    };
    assert_eq!(one["locales"].as_array().map(Vec::len), Some(1));
    assert!(sv(&all)["stale_segments"].as_u64() > Some(0));
    assert_eq!(sv(&one), sv(&all));
}
