//! Terminal conventions of every command, run as a process: a reader that
//! closes the pipe early (`helpbook status | head`) ends the program quietly
//! with status 0, and `--color auto|always|never` beside `NO_COLOR` and
//! `CLICOLOR_FORCE`; `-q` and `-v`, and a progress bar only on a terminal.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const SHOWCASE: &str = "tests/fixtures/check/showcase";

fn helpbook() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_helpbook"));
    cmd.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env_clear();
    cmd
}

/// Runs `args` with standard output a pipe whose reading end is already
/// closed, so that the first write fails with a broken pipe.
fn into_closed_pipe(args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let child = helpbook()
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("helpbook starts");
    child.wait_with_output().expect("helpbook ends")
}

#[test]
fn a_closed_pipe_ends_quietly_with_status_0() {
    for args in [
        &["status", SHOWCASE][..],
        &["status", SHOWCASE, "--format", "json"],
        // Findings at error level would be status 1; the reader left first.
        &["check", SHOWCASE],
        &["check", SHOWCASE, "--format", "json"],
        &["check", SHOWCASE, "--format", "github"],
        &["check", SHOWCASE, "--format", "sarif"],
    ] {
        let out = into_closed_pipe(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// A closed pipe is the only write error treated so: a real one is status 2.
#[test]
fn other_write_errors_still_fail() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let out = helpbook()
        .args(["status", SHOWCASE])
        .stdout(full)
        .output()
        .expect("helpbook runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: "));
}

fn check_with(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = helpbook()
        .args(["check", SHOWCASE])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("helpbook runs");
    assert_eq!(out.status.code(), Some(1), "the showcase has an error");
    String::from_utf8(out.stdout).expect("UTF-8")
}

const ESC: char = '\u{1b}';

#[test]
fn color_flag_beside_no_color_and_clicolor_force() {
    // Not a terminal: no colour unless asked.
    assert!(!check_with(&[], &[]).contains(ESC));
    assert!(check_with(&["--color", "always"], &[]).contains(ESC));
    assert!(check_with(&["--color", "always"], &[("NO_COLOR", "1")]).contains(ESC));
    assert!(check_with(&[], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    assert!(!check_with(&[], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains(ESC));
    assert!(!check_with(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]).contains(ESC));
    // The flag is global: it may come before the command.
    let out = helpbook()
        .args(["--color", "always", "check", SHOWCASE])
        .output()
        .expect("helpbook runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains(ESC));
}

#[test]
fn build_colours_its_errors_on_request() {
    let dest = tempfile::tempdir().expect("tempdir");
    let dest = dest.path().join("site");
    let dest = dest.to_str().expect("UTF-8 path");
    let run = |color: &str| {
        let out = helpbook()
            .args([
                "build",
                SHOWCASE,
                "--no-search",
                "--dest",
                dest,
                "--color",
                color,
            ])
            .output()
            .expect("helpbook runs");
        String::from_utf8(out.stderr).expect("UTF-8")
    };
    let coloured = run("always");
    assert!(coloured.contains("sxs::unterminated"), "{coloured}");
    assert!(coloured.contains(ESC), "{coloured}");
    assert!(!run("never").contains(ESC));
}

/// Runs `args` with both outputs captured (neither a terminal).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = helpbook().args(args).output().expect("helpbook runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
    )
}

#[test]
fn quiet_prints_errors_only() {
    let dest = tempfile::tempdir().expect("tempdir");
    let site = dest.path().join("site");
    let site = site.to_str().expect("UTF-8 path");
    // Normal: the build lists warnings and ends with its summary.
    let (code, _, loud) = run(&["build", SHOWCASE, "--no-search", "--dest", site]);
    assert_eq!(code, Some(1));
    assert!(loud.contains("warning["), "{loud}");
    assert!(loud.contains("built "), "{loud}");
    // Quiet, the flag before or after the command: the error, nothing else.
    for args in [
        &["-q", "build", SHOWCASE, "--no-search", "--dest", site][..],
        &["build", SHOWCASE, "--no-search", "--dest", site, "--quiet"],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(1), "{args:?}: still fails on the error");
        assert_eq!(stdout, "");
        assert!(stderr.contains("error[sxs::unterminated]"), "{stderr}");
        assert!(!stderr.contains("warning"), "{stderr}");
        assert!(!stderr.contains("built "), "{stderr}");
    }
    let (code, stdout, stderr) = run(&["check", "-q", SHOWCASE]);
    assert_eq!(code, Some(1));
    assert!(stdout.starts_with("error[sxs::unterminated]"), "{stdout}");
    assert!(!stdout.contains("warning"), "{stdout}");
    assert!(!stdout.contains("check: "), "{stdout}");
    assert_eq!(stderr, "");
    // Nothing failed: nothing at all.
    let out = dest.path().join("export");
    let out = out.to_str().expect("UTF-8 path");
    let export = ["export", "tests/fixtures/export/tricky", "--format", "po"];
    let (code, stdout, stderr) = run(&[&export[..], &["--out", out, "-q"]].concat());
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    let (_, loud, _) = run(&[&export[..], &["--out", out]].concat());
    assert!(loud.contains("exported "), "{loud}");
    let project = dest.path().join("new");
    let (code, stdout, stderr) = run(&["init", "-q", project.to_str().expect("UTF-8")]);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (Some(0), "", ""));
    // A failure to run is an error, and still said.
    let (code, _, stderr) = run(&["-q", "status", SHOWCASE, "--locale", "xx-XX"]);
    assert_eq!(code, Some(2));
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn verbose_adds_the_time_of_each_stage_and_excludes_quiet() {
    let dest = tempfile::tempdir().expect("tempdir");
    let site = dest.path().join("site");
    let site = site.to_str().expect("UTF-8 path");
    let (_, _, plain) = run(&["build", SHOWCASE, "--dest", site]);
    let (_, _, verbose) = run(&["build", "-v", SHOWCASE, "--dest", site]);
    for stage in ["read", "parse", "render", "template", "write", "search"] {
        let line = format!("  {stage} ");
        assert!(verbose.contains(&line), "{stage}: {verbose}");
        assert!(!plain.contains(&line), "{stage}: {plain}");
    }
    let (_, stdout, _) = run(&["check", "--verbose", SHOWCASE]);
    assert!(stdout.contains("check: "), "-v keeps the normal output");
    let (code, _, stderr) = run(&["-q", "-v", "check", SHOWCASE]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

/// What a progress bar leaves in the output: the
/// erase-line sequence, or the bar's own label.
fn has_progress(stderr: &str) -> bool {
    stderr.contains("\u{1b}[2K") || stderr.contains("building ")
}

/// The seconds a build's summary line says it took ("… in 0.53s: …").
fn took(output: &str) -> Option<f64> {
    let line = output
        .lines()
        .find_map(|l| l.find("built ").map(|at| &l[at..]))?;
    let end = line.rfind("s: ")?;
    let start = line[..end].rfind(" in ")? + " in ".len();
    line[start..end].parse().ok()
}

/// The progress bar on real content: drawn on a terminal (a pseudo
/// terminal from `script`), never into a pipe or with `-q`, and not at all
/// by a run shorter than `ui`'s delay (0.7 s). The content is a slice of
/// the corpus, every fourth article of et-EE (about 730, with its includes
/// and media; `support::corpus_slice`) as a project of its own: what is
/// tested is where the bar goes, and more articles would only add files to
/// write. Its builds take well under the delay on a quiet machine (the
/// whole of et-EE, search on, took 0.8 s), so they run with the delay set
/// to 0 (`HELPBOOK_PROGRESS_DELAY_MS`): the bar is then drawn as soon as
/// the run starts wherever it may be drawn at all, and the pipe and `-q`
/// runs would show it if they drew one. A build of the example site's few
/// pages, on a terminal with the delay as it is, draws none unless it
/// lasted past the delay.
#[test]
fn progress_only_on_a_terminal() {
    let Some(corpus) = crate::support::corpus() else {
        return;
    };
    let dest = tempfile::tempdir().expect("tempdir");
    let slice = dest.path().join("slice");
    let taken = crate::support::corpus_slice(&corpus, &slice, &["et-EE"], 4);
    assert!(taken > 700, "{taken} articles in the slice");
    let site = dest.path().join("site");
    let slice = slice.to_str().expect("UTF-8 path");
    let site = site.to_str().expect("UTF-8 path");
    let build = ["build", slice, "--no-search", "--dest", site];
    const NO_DELAY: (&str, &str) = ("HELPBOOK_PROGRESS_DELAY_MS", "0");

    // `script` runs the command on a pseudo terminal and copies what it
    // drew into the typescript file.
    let typescript = dest.path().join("typescript");
    let on_terminal = |args: &[&str], env: &[(&str, &str)]| -> Option<String> {
        let command = format!("{} {}", env!("CARGO_BIN_EXE_helpbook"), args.join(" "));
        let status = Command::new("script")
            .args(["-qec", &command])
            .arg(&typescript)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .ok()?;
        assert!(status.success(), "{command}");
        Some(String::from_utf8_lossy(&std::fs::read(&typescript).ok()?).into_owned())
    };
    match on_terminal(&build, &[NO_DELAY]) {
        Some(drawn) => {
            assert!(has_progress(&drawn), "{drawn}");
            assert!(took(&drawn).is_some(), "{drawn}");
            let quiet = on_terminal(&[&build[..], &["-q"]].concat(), &[NO_DELAY])
                .expect("script ran before");
            assert!(!has_progress(&quiet), "{quiet}");
            assert!(!quiet.contains("built "), "{quiet}");
            let small_site = dest.path().join("small");
            // The example site: 18 pages.
            let small = ["build", ".", "--dest", small_site.to_str().expect("UTF-8")];
            let short = on_terminal(&small, &[]).expect("script ran before");
            // (On a machine so loaded that even this build outlasts the
            // delay, the bar may be drawn.)
            let seconds = took(&short).expect("a summary line with the time");
            let outlasted = seconds > 0.5;
            assert!(!has_progress(&short) || outlasted, "{short}");
        }
        None => eprintln!("skipped the terminal half: no `script`"),
    }

    let out = helpbook()
        .args(build)
        .env(NO_DELAY.0, NO_DELAY.1)
        .output()
        .expect("helpbook runs");
    let piped = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{piped}");
    assert!(piped.contains("built "), "{piped}");
    assert!(!has_progress(&piped), "{piped}");
}
