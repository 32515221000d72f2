//! Every command runs the one pipeline (`src/pipeline/`), so they agree:
//! the same findings at the same levels, the same exit status for the same
//! strictness, the same refusal of a `--locale` that names no folder. Each
//! test here guards a way in which they once disagreed.

use crate::support;

use std::path::Path;
use std::time::Duration;
use support::{helpbook, run, Project};

/// The exit status of `helpbook ARGS` in `dir`.
fn status(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = helpbook(dir);
    cmd.args(args);
    let out = run(cmd);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `build --strict` fails exactly when `check --deny warnings` does, on
/// every check fixture (each holds findings of one lint, or none).
#[test]
fn build_strict_fails_exactly_when_check_denies_warnings() {
    let fixtures = support::repo().join("tests/fixtures/check");
    let mut seen = (0, 0);
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if !dir.join("content").is_dir() {
            continue;
        }
        let tmp = tempfile::tempdir().expect("tempdir");
        let dest = tmp.path().join("site");
        let dest = dest.to_str().expect("utf-8");
        let (build, err) = status(&dir, &["build", "--strict", "--dest", dest]);
        let (check, _) = status(&dir, &["check", "--deny", "warnings"]);
        assert_eq!(
            build,
            check,
            "{}: build --strict vs check --deny warnings\n{err}",
            dir.display()
        );
        match build {
            Some(0) => seen.0 += 1,
            Some(1) => seen.1 += 1,
            other => panic!("{}: exit {other:?}\n{err}", dir.display()),
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 5,
        "clean and failing fixtures: {seen:?}"
    );
}

/// Regression: the source-language folder's own findings were dropped by
/// `build`: broken front matter in `en-US/a.md` failed `check --deny
/// warnings` and passed `build --strict`.
#[test]
fn findings_of_the_english_folder_count_in_build() {
    let project = Project::empty()
        .file("content/en-US/a.md", "---\ntitle: [unclosed\n---\n# A\n")
        .file("content/sv-SE/a.md", "---\ntitle: A\n---\n# A\n");
    let (check, _) = status(project.root(), &["check", "--deny", "warnings"]);
    assert_eq!(check, Some(1));
    let dest = project.scratch().join("site");
    let (build, err) = status(
        project.root(),
        &["build", "--strict", "--dest", dest.to_str().expect("utf-8")],
    );
    assert_eq!(build, Some(1), "{err}");
    assert!(
        err.contains("frontmatter::invalid") && err.contains("en-US"),
        "{err}"
    );
}

/// A `--locale` that names no locale folder is refused by every command
/// that takes one, with the folders there are (regression: `build` built an
/// English-only site, `status` printed an empty table, both exiting 0).
#[test]
fn an_unknown_locale_is_refused_by_every_command() {
    let project = Project::fixture("alerts");
    let out = project.scratch().join("out");
    let out = out.to_str().expect("utf-8");
    for args in [
        vec!["build", "--locale", "xx-YY", "--dest", out],
        vec!["check", "--locale", "xx-YY"],
        vec!["status", "--locale", "xx-YY"],
        vec![
            "export", "--format", "po", "--locale", "xx-YY", "--out", out,
        ],
    ] {
        let (code, err) = status(project.root(), &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("--locale xx-YY") && err.contains("sv-SE"),
            "{args:?}: {err}"
        );
    }
    // Letter case is not a mistake.
    let (code, err) = status(project.root(), &["status", "--locale", "SV-se"]);
    assert_eq!(code, Some(0), "{err}");
}

/// A folder of Markdown with no locale folder (mdBook's `src/`) is a
/// mistake to say, not an empty site (regression: exit 0, nothing built).
#[test]
fn a_content_folder_without_locale_folders_is_refused() {
    let project = Project::empty()
        .file("content/intro.md", "# Intro\n")
        .file("content/chapter/one.md", "# One\n");
    for args in [vec!["build"], vec!["check"], vec!["status"]] {
        let (code, err) = status(project.root(), &args);
        assert_eq!(code, Some(2), "{args:?}: {err}");
        assert!(
            err.contains("no locale folders") && err.contains("mdBook"),
            "{err}"
        );
    }
}

/// `serve` levels findings by `book.toml [check]` as `build` does
/// (regression: it counted the parser's own levels).
#[test]
fn serve_levels_findings_as_build_does() {
    let project = Project::fixture("alerts")
        .file(
            "book.toml",
            "[check]\ndeny = [\"segment::untranslated\"]\nallow = [\"link\"]\n",
        )
        .file(
            "content/sv-SE/left.md",
            "---\ntitle: Kvar\n---\n# <span data-ttu-id=\"u-1\">Settings</span><span class=\"sxs-lookup\"><span data-stu-id=\"u-1\">Settings</span></span>\n",
        );
    let dest = project.scratch().join("site");
    let mut cmd = helpbook(project.root());
    cmd.args(["build", "--dest", dest.to_str().expect("utf-8")]);
    let built = String::from_utf8_lossy(&run(cmd).stderr).into_owned();
    let counts = |line: &str| -> Option<(String, String)> {
        let tail = line.rsplit_once(": ")?.1;
        let mut parts = tail.split(", ");
        Some((parts.next()?.to_string(), parts.next()?.to_string()))
    };
    let build_line = built
        .lines()
        .find(|l| l.starts_with("built "))
        .expect("summary line");
    let server = support::serve::Server::start(project.root(), &[], Duration::from_secs(60));
    let serve_line = server
        .stderr
        .iter()
        .find(|l| l.starts_with("built "))
        .expect("serve's summary line");
    assert_eq!(
        counts(build_line),
        counts(&serve_line),
        "{build_line}\n{serve_line}"
    );
    assert!(
        !build_line.contains(": 0 errors"),
        "the denied lint fires: {build_line}"
    );
}

/// One article in de-DE and sv-SE, loaded as `build` loads it
/// (`Keep::Lean`), and the locale whose copy stage 4 reads again: the one
/// the English was not rebuilt from.
fn two_copies_loaded_lean() -> (
    Project,
    helpbook::theme::Theme,
    helpbook::pipeline::Model,
    &'static str,
) {
    use helpbook::pipeline::{Keep, Model};
    let pair = |t: &str, e: &str| {
        format!(
            "<span data-ttu-id=\"1\">{t}</span><span class=\"sxs-lookup\"><span data-stu-id=\"1\">{e}</span></span>"
        )
    };
    let article = |t: &str| {
        format!(
            "---\ntitle: {t}\nms.lasthandoff: 01/02/2024\n---\n# {}\n\n{}\n",
            pair(t, "Title"),
            pair(&format!("{t} text."), "Some text.")
        )
    };
    let project = Project::empty()
        .file("content/de-DE/a.md", &article("Titel"))
        .file("content/sv-SE/a.md", &article("Rubrik"));
    let config = helpbook::config::Config::load(project.root()).expect("config");
    let theme = helpbook::theme::Theme::load(&config.root, &config.theme).expect("theme");
    let model = Model::load_keeping(config, Keep::Lean, &Default::default()).expect("load");
    let base = match &model.pairing.english.articles["a.md"].origin {
        helpbook::pair::Origin::Rebuilt { locale } => locale.clone(),
        other => panic!("rebuilt English expected, got {other:?}"),
    };
    let other = if base == "de-DE" { "sv-SE" } else { "de-DE" };
    (project, theme, model, other)
}

/// Builds `model` into the project's scratch folder and asserts that one
/// of its findings is `lint` in a file whose path holds `locale`.
fn build_reporting(
    project: &Project,
    model: &helpbook::pipeline::Model,
    theme: &helpbook::theme::Theme,
    lint: &str,
    locale: &str,
) -> std::path::PathBuf {
    let dest = project.scratch().join("site");
    let summary = support::build_model(model, theme, &dest);
    assert!(
        summary
            .findings
            .iter()
            .any(|f| f.lint == lint && f.file.contains(locale)),
        "{:?}",
        summary.findings
    );
    dest
}

/// `build` reads each language again when it renders it (`Keep::Lean`): a
/// translation gone by then is reported where it was, and its language gets
/// the English page in its place (regression: a panic, for want of an
/// English render to reuse).
#[test]
fn a_translation_gone_before_its_language_is_rendered_is_reported_and_the_english_stands_in() {
    let (project, theme, model, gone) = two_copies_loaded_lean();
    std::fs::remove_file(project.root().join("content").join(gone).join("a.md")).expect("rm");

    let dest = build_reporting(&project, &model, &theme, "file::unreadable", gone);
    let slug = gone.to_lowercase();
    let page = std::fs::read_to_string(dest.join(&slug).join("a.html")).expect("its page");
    assert!(page.contains("Some text."), "the English stands in: {page}");
    assert!(page.contains("noindex"), "as a fallback page is: {page}");
}

/// The second read goes through the content folder's jail as the first
/// does: a translation made a link out of the folder after the folder was
/// listed is refused and reported, and what it leads to is never published
/// (regression: the second read followed any link).
#[cfg(unix)]
#[test]
fn a_translation_made_a_link_out_of_the_content_before_its_language_is_rendered_is_not_read() {
    let (project, theme, model, swapped) = two_copies_loaded_lean();
    let marker = "SECRET-MARKER-5d1e07";
    let secret = project.scratch().join("secret.md");
    std::fs::write(&secret, format!("# {marker}\n")).expect("write");
    let file = project.root().join("content").join(swapped).join("a.md");
    std::fs::remove_file(&file).expect("rm");
    std::os::unix::fs::symlink(&secret, &file).expect("symlink");

    let dest = build_reporting(&project, &model, &theme, "load::outside-link", swapped);
    for (rel, bytes) in support::tree(&dest) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(marker),
            "{rel} holds the file outside"
        );
    }
}

/// A run holds its findings in a temporary file until the end
/// (`pipeline::Spill`); where none can be made (`TMPDIR` names no folder)
/// it keeps them in memory and reports the very same findings.
#[test]
fn findings_are_the_same_without_a_temporary_folder() {
    let fixtures = support::repo().join("tests/fixtures/check");
    let tmp = tempfile::tempdir().expect("tempdir");
    let missing = tmp.path().join("no-such-folder");
    let mut compared = 0;
    for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
        let dir = entry.expect("entry").path();
        if !dir.join("content").is_dir() {
            continue;
        }
        let json = |tmpdir: Option<&Path>| {
            let mut cmd = helpbook(&dir);
            cmd.args(["check", "--format", "json"]);
            if let Some(t) = tmpdir {
                cmd.env("TMPDIR", t);
            }
            String::from_utf8_lossy(&run(cmd).stdout).into_owned()
        };
        let kept = json(None);
        assert_eq!(kept, json(Some(&missing)), "{}", dir.display());
        if kept.contains("\"lint\"") {
            compared += 1;
        }
    }
    assert!(compared > 5, "fixtures with findings: {compared}");
}

/// Media are read through the content folder's jail when they are copied
/// (or served), not only when they are found: an image made a link out of
/// the folder in between is not read, and the build's copy reports it and
/// copies the others (regression: it failed the build).
#[cfg(unix)]
#[test]
fn a_media_file_made_a_link_out_of_the_content_after_it_was_found_is_not_read() {
    use helpbook::site::media::Media;
    let project = Project::empty()
        .file(
            "content/sv-SE/a.md",
            "---\ntitle: A\n---\n# A\n\n![x](media/x.png)\n",
        )
        .file("content/sv-SE/media/x.png", "PNG-BYTES")
        .file("content/sv-SE/media/y.png", "OTHER-BYTES");
    let config = helpbook::config::Config::load(project.root()).expect("config");
    let loaded = helpbook::load::project(config, &[]).expect("load");
    let media = Media::index(&loaded).expect("media");
    let out = media.get("sv-SE", "media/x.png").expect("found").clone();
    let read = media
        .read(&out)
        .expect("readable")
        .expect("one of the media");
    assert_eq!(read, b"PNG-BYTES");

    let marker = "SECRET-MARKER-2b94c1";
    let secret = project.scratch().join("secret.png");
    std::fs::write(&secret, marker).expect("write");
    let file = project.root().join("content/sv-SE/media/x.png");
    std::fs::remove_file(&file).expect("rm");
    std::os::unix::fs::symlink(&secret, &file).expect("symlink");
    assert_eq!(
        media.read(&out).expect("no error"),
        None,
        "a link out is not read"
    );

    // The build's copy leaves it out, says so, and goes on.
    let copied = Collect::default();
    let findings = media.copy_into(&copied).expect("the others are copied");
    assert!(
        findings
            .iter()
            .any(|f| f.lint == "load::outside-link" && f.file.ends_with("x.png")),
        "{findings:?}"
    );
    let copied = copied.0.into_inner().expect("lock");
    let other = media.get("sv-SE", "media/y.png").expect("found").clone();
    assert_eq!(copied, [(other, b"OTHER-BYTES".to_vec())]);
}

/// A site kept in memory.
#[derive(Default)]
struct Collect(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl helpbook::write::Sink for Collect {
    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let mut files = self.0.lock().expect("lock");
        files.push((rel.to_string(), bytes.to_vec()));
        Ok(())
    }
}
