//! Terminal conventions of every command, run as a process: a reader that
//! closes the pipe early (`helpbook status | head`) ends the program quietly
//! with status 0, and `--color auto|always|never` beside `NO_COLOR` and
//! `CLICOLOR_FORCE`.

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
