//! The output of `helpbook check`, pinned: human (rustc-style, carets under
//! CJK and right-to-left text), JSON and GitHub annotations of the showcase
//! project (`tests/fixtures/check/showcase`: a Chinese and an Arabic article
//! with one problem of most kinds); and the command's exit status and
//! `[check]` handling, run as a process with a cleared environment.

use helpbook::check::{self, Format};
use helpbook::config::Config;
use helpbook::diag::Finding;
use std::path::Path;
use std::process::{Command, Output};

const SHOWCASE: &str = "tests/fixtures/check/showcase";

fn findings(dir: &str) -> Vec<Finding> {
    let config = Config::load(Path::new(dir)).expect("config");
    let mut findings = helpbook::pipeline::check(config, &[], false).expect("check");
    check::snippets::attach(&mut findings, |f| std::fs::read(f).ok());
    findings
}

fn render(format: Format) -> String {
    let mut out = Vec::new();
    check::report(&findings(SHOWCASE), &format, &mut out).expect("write");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn human() {
    insta::assert_snapshot!(render(Format::Human { color: false }));
}

#[test]
fn human_in_colour_has_the_same_text() {
    let coloured = render(Format::Human { color: true });
    assert!(coloured.contains("\u{1b}["), "colour was asked for");
    let plain = render(Format::Human { color: false });
    assert_eq!(strip_ansi(&coloured), plain);
}

#[test]
fn json() {
    insta::assert_snapshot!(render(Format::Json));
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github(Default::default())));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn helpbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_helpbook"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_clear()
        .output()
        .expect("helpbook runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn exit_0_when_clean() {
    let o = helpbook(&["check", "tests/fixtures/check/clean"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "check: 0 errors, 0 warnings, 0 notes\n");
}

#[test]
fn exit_1_on_errors_and_no_colour_in_a_pipe() {
    let o = helpbook(&["check", SHOWCASE]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("error[sxs::unterminated]"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when not on a terminal");
}

#[test]
fn deny_warnings() {
    let dir = "tests/fixtures/check/markup-emphasis";
    assert_eq!(helpbook(&["check", dir]).status.code(), Some(0));
    let o = helpbook(&["check", dir, "--deny", "warnings"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[markup::emphasis]"));
}

#[test]
fn locale_filter() {
    let o = helpbook(&["check", SHOWCASE, "--locale", "zh-CN", "--format", "github"]);
    let out = stdout(&o);
    assert!(out.contains("zh-CN/reset-password.md"), "{out}");
    assert!(!out.contains("content/ar-SA/"), "{out}");
    // zh-CN has no error of its own.
    assert_eq!(o.status.code(), Some(0), "{out}");
    let o = helpbook(&["check", SHOWCASE, "--locale", "fr-FR"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--locale fr-FR"));
}

/// Copies a fixture's content into a fresh project with `toml` as book.toml.
fn project_with(fixture: &str, toml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(fixture)
        .join("content");
    for e in walkdir::WalkDir::new(&from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(&from).expect("inside");
        let to = tmp.path().join("content").join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
        } else {
            std::fs::copy(e.path(), &to).expect("copy");
        }
    }
    std::fs::write(tmp.path().join("book.toml"), toml).expect("book.toml");
    tmp
}

#[test]
fn book_toml_levels() {
    let fixture = "tests/fixtures/check/markup-emphasis";
    let denied = project_with(fixture, "[check]\ndeny = [\"markup::emphasis\"]\n");
    let dir = denied.path().to_string_lossy().into_owned();
    let o = helpbook(&["check", &dir]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("error[markup::emphasis]"));

    // A lint's own setting wins over its group's.
    let allowed = project_with(
        fixture,
        "[check]\nallow = [\"markup\"]\nwarn = [\"markup::emphasis\"]\n",
    );
    let dir = allowed.path().to_string_lossy().into_owned();
    let o = helpbook(&["check", &dir]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("warning[markup::emphasis]"));

    let all_allowed = project_with(fixture, "[check]\nallow = [\"markup\"]\n");
    let dir = all_allowed.path().to_string_lossy().into_owned();
    let o = helpbook(&["check", &dir, "--deny", "warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(!stdout(&o).contains("markup::"));
}

#[test]
fn unknown_lint_in_book_toml_is_exit_2() {
    let bad = project_with(
        "tests/fixtures/check/clean",
        "[check]\ndeny = [\"markup::emphassis\"]\n",
    );
    let dir = bad.path().to_string_lossy().into_owned();
    let o = helpbook(&["check", &dir]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("book.toml"), "{err}");
    assert!(err.contains("[check] deny: `markup::emphassis`"), "{err}");
}

#[test]
fn root_relative_links_resolve_with_link_base() {
    let fixture = "tests/fixtures/check/link-root-relative";
    let with_base = project_with(
        fixture,
        "[output.html]\nlink-base = \"https://learn.microsoft.com/{locale}\"\n",
    );
    let dir = with_base.path().to_string_lossy().into_owned();
    let o = helpbook(&["check", &dir]);
    assert!(
        !stdout(&o).contains("link::root-relative"),
        "{}",
        stdout(&o)
    );
    let o = helpbook(&["check", fixture]);
    assert!(stdout(&o).contains("link::root-relative"));
}

/// docs/check.md lists every lint with its default level, in the order
/// the summary tables and `summary.lints[]` follow.
#[test]
fn docs_list_every_lint() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md"))
        .expect("docs/check.md");
    let mut previous = (0, "the start");
    for l in helpbook::diag::lint::ALL {
        let row = format!("| `{}` | {} |", l.name, l.default_level);
        let at = doc
            .find(&row)
            .unwrap_or_else(|| panic!("docs/check.md lacks {row}"));
        assert!(
            at > previous.0,
            "docs/check.md lists {} before {}",
            l.name,
            previous.1
        );
        previous = (at, l.name);
    }
}
